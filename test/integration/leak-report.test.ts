import { describe, expect, it } from 'vitest';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { sha256, signedHeaders, signingKey, useKeysServer } from '../support/github-keys.ts';
import { createKey, eventsOf, useTestService } from '../support/service.ts';

/**
 * POST /v1/leaks/github on the local server and DynamoDB Local, signed with a locally generated
 * P-256 key that a local stand-in serves as GitHub's key list.
 */
const current = signingKey();
const github = useKeysServer([current]);
const svc = useTestService({
  env: () => ({
    LATCHKEY_LEAK_KEYS_URL: github.url,
    LATCHKEY_LEAK_KEYS_MIN_REFETCH_SECONDS: '0',
    LATCHKEY_LEAK_ACTION: undefined,
  }),
});

/** A report as GitHub sends it: no admin token, only the signature headers. */
async function report(body: string, headers: Record<string, string> = signedHeaders(body, current)) {
  const res = await fetch(`${svc.url}/v1/leaks/github`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
}

const match = (token: string, url = 'https://github.com/octo/repo/blob/abc/.env') =>
  ({ token, type: 'latchkey_api_key', url, source: 'content' }) as const;

// biome-ignore lint/suspicious/noExplicitAny: API bodies are inspected freely in tests
const audit = async (keyId: string): Promise<any[]> =>
  (await svc.api('GET', `/v1/audit?keyId=${keyId}`)).body.items;
const events = (detailType: string, keyId: string) => eventsOf(svc, detailType, keyId);

describe('a signed GitHub report', () => {
  it('revokes a real secret, audits it as github-secret-scanning with the URL, and announces the leak', async () => {
    const { key, secret } = await createKey(svc, { owner: 'leaky' });
    const body = JSON.stringify([match(secret)]);
    const res = await report(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { token_hash: sha256(secret), token_type: 'latchkey_api_key', label: 'true_positive' },
    ]);
    expect(res.text).not.toContain(secret);

    const stored = await svc.api('GET', `/v1/keys/${key.keyId}`);
    expect(stored.body).toMatchObject({ status: 'revoked', version: key.version + 1 });
    const verified = await svc.api('POST', '/v1/verify', { key: secret });
    expect(verified.body).toMatchObject({ valid: false, code: 'REVOKED' });

    const [revoked] = (await audit(key.keyId)).filter((r) => r.action === 'key.revoked');
    expect(revoked).toMatchObject({
      actor: 'github-secret-scanning',
      context: {
        url: 'https://github.com/octo/repo/blob/abc/.env',
        source: 'content',
        tokenType: 'latchkey_api_key',
      },
      changes: { status: { before: 'active', after: 'revoked' } },
    });
    const [leaked] = await events('API Key Leaked', key.keyId);
    expect(leaked?.detail).toMatchObject({
      keyId: key.keyId,
      name: key.keyId,
      owner: 'leaky',
      url: 'https://github.com/octo/repo/blob/abc/.env',
      source: 'content',
      action: 'revoke',
      actor: 'github-secret-scanning',
      status: 'revoked',
    });
    expect(Date.parse(leaked?.detail.at)).not.toBeNaN();
    expect(await events('API Key Revoked', key.keyId)).toHaveLength(1);
    expect(JSON.stringify(await audit(key.keyId))).not.toContain(secret);

    // Reported again (another commit, say): still a true positive, and nothing more changes.
    const again = await report(JSON.stringify([match(secret, 'https://github.com/octo/repo/blob/def/.env')]));
    expect(again.body).toEqual(res.body);
    expect((await svc.api('GET', `/v1/keys/${key.keyId}`)).body.version).toBe(key.version + 1);
    expect(await events('API Key Leaked', key.keyId)).toHaveLength(1);
    expect(await audit(key.keyId)).toHaveLength(2);
  });

  it('labels look-alikes, unknown keys and wrong secrets false positives, in order, and changes nothing', async () => {
    const { key, secret } = await createKey(svc, { owner: 'bystander' });
    const lookAlike = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const unknown = newSecret(newKeyId(), 'production');
    const wrongSecret = newSecret(key.keyId, 'production');
    const tokens = [lookAlike, unknown, wrongSecret, 'not-a-latchkey-token'];
    const res = await report(JSON.stringify(tokens.map((t) => match(t))));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      tokens.map((t) => ({ token_hash: sha256(t), token_type: 'latchkey_api_key', label: 'false_positive' })),
    );
    expect((await svc.api('GET', `/v1/keys/${key.keyId}`)).body).toMatchObject({
      status: 'active',
      version: 1,
    });
    expect(await audit(key.keyId)).toHaveLength(1);
    expect(await events('API Key Leaked', key.keyId)).toEqual([]);
  });

  it('handles a token reported twice in one batch once, answering each match', async () => {
    const { key, secret } = await createKey(svc, { owner: 'twice' });
    const res = await report(
      JSON.stringify([match(secret), match(secret, 'https://github.com/o/r/issues/1')]),
    );
    expect(res.body.map((f: { label: string }) => f.label)).toEqual(['true_positive', 'true_positive']);
    expect(await events('API Key Leaked', key.keyId)).toHaveLength(1);
    expect((await svc.api('GET', `/v1/keys/${key.keyId}`)).body.version).toBe(2);
  });
});

describe('an unsigned or wrongly signed report', () => {
  it('gets 401 and changes nothing: no signature, a signature of another body, an unknown key, a foreign key', async () => {
    const { key, secret } = await createKey(svc, { owner: 'protected' });
    const body = JSON.stringify([match(secret)]);
    const stranger = signingKey();
    const cases: Record<string, string>[] = [
      { 'content-type': 'application/json' },
      { ...signedHeaders(body, current), 'Github-Public-Key-Signature': '' },
      signedHeaders(JSON.stringify([match(secret, 'https://elsewhere')]), current),
      { ...signedHeaders(body, stranger), 'Github-Public-Key-Identifier': current.identifier },
      signedHeaders(body, stranger),
      { ...signedHeaders(body, current), 'Github-Public-Key-Signature': 'bm90IGEgc2lnbmF0dXJlIGF0IGFsbA==' },
      { ...signedHeaders(body, current), 'Github-Public-Key-Identifier': '../../etc/passwd' },
    ];
    for (const headers of cases) {
      const res = await report(body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
      expect(res.text).not.toContain(secret);
    }
    expect((await svc.api('GET', `/v1/keys/${key.keyId}`)).body).toMatchObject({
      status: 'active',
      version: 1,
    });
    expect(await audit(key.keyId)).toHaveLength(1);
    expect(await events('API Key Leaked', key.keyId)).toEqual([]);
  });

  it('needs no admin token, and the admin token does not replace the signature', async () => {
    const body = JSON.stringify([match('x')]);
    const res = await svc.api('POST', '/v1/leaks/github', body);
    expect(res.status).toBe(401);
  });
});

describe('bad bodies, once signed', () => {
  it('answers 400 for malformed JSON and names every bad field; 413 past the size limit', async () => {
    const malformed = await report('[{"token":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('BAD_REQUEST');
    const invalid = await report(JSON.stringify([{ type: 'x' }, { token: 7, url: 1 }]));
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      '0.token',
      '1.token',
      '1.url',
    ]);
    expect((await report('[]')).status).toBe(400);
    expect((await report(JSON.stringify({ token: 'x' }))).status).toBe(400);
    const huge = JSON.stringify([match('x'.repeat(1000), 'u'.repeat(300_000))]);
    expect((await report(huge)).status).toBe(413);
  });
});

describe("GitHub's key rotation", () => {
  it('fetches the key list again once for a new key identifier, then uses the cache', async () => {
    const { key, secret } = await createKey(svc, { owner: 'rotation' });
    const body = JSON.stringify([match(secret)]);
    // Warm: the list is cached, so a report under a known key costs no fetch.
    await report(JSON.stringify([match('warm')]));
    const before = github.requests;
    await report(JSON.stringify([match('warm')]));
    expect(github.requests).toBe(before);

    const next = signingKey();
    github.keys.push(next);
    const res = await report(body, signedHeaders(body, next));
    expect(res.status).toBe(200);
    expect(res.body[0].label).toBe('true_positive');
    expect(github.requests).toBe(before + 1);
    expect((await svc.api('GET', `/v1/keys/${key.keyId}`)).body.status).toBe('revoked');

    // The old key still verifies (GitHub lists both while it rotates), from the cache.
    expect((await report(JSON.stringify([match('old')]))).status).toBe(200);
    // An identifier GitHub does not list costs one refetch, and is refused.
    const unknown = await report(body, signedHeaders(body, signingKey()));
    expect(unknown.status).toBe(401);
    expect(github.requests).toBe(before + 2);
  });
});
