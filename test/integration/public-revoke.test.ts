import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { HANDLER_MODULES } from '../../functions/handler-modules.ts';
import { createKey, eventsOf, useTestService } from '../support/service.ts';

/**
 * POST /v1/credentials/revoke on DynamoDB Local: 1,000 mixed strings give one 202 and exactly the
 * right keys revoked; the answer is the same whatever was sent; garbage costs no read; canaries
 * trip and stay armed; an address that sends too much gets 429.
 */
const svc = useTestService({ env: { LATCHKEY_PUBLIC_REQUESTS_PER_MINUTE: '5' } });

async function report(credentials: unknown) {
  const res = await fetch(`${svc.url}/v1/credentials/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'finder/1.0' },
    body: JSON.stringify({ credentials }),
  });
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!['date', 'x-amzn-requestid', 'content-length'].includes(name)) headers[name] = value;
  });
  return { status: res.status, headers, text: await res.text() };
}

/** Waits until every report answered so far has been checked (the server runs the check after its answer). */
const settled = async () =>
  ((await HANDLER_MODULES['credentials-revoke']()) as { settled: () => Promise<void> }).settled();

const create = (overrides: Record<string, unknown> = {}) =>
  createKey(svc, { owner: 'finder-test', ...overrides });

const key = async (keyId: string) => (await svc.api('GET', `/v1/keys/${keyId}`)).body;

describe('POST /v1/credentials/revoke', () => {
  it('revokes exactly the live keys among 1,000 mixed strings, with one 202 that says nothing of them', async () => {
    const live = await Promise.all(Array.from({ length: 5 }, () => create()));
    const control = await create();
    const revoked = await Promise.all(Array.from({ length: 2 }, () => create()));
    for (const r of revoked)
      expect((await svc.api('POST', `/v1/keys/${r.key.keyId}/revoke`, {})).status).toBe(200);
    const canary = await create({ type: 'canary' });
    const importedSecrets = [randomBytes(30).toString('base64url'), randomBytes(30).toString('base64url')];
    const imported = await svc.api('POST', '/v1/keys/import', {
      keys: importedSecrets.map((secret) => ({
        secret,
        owner: 'finder-test',
        scope: { workspaceId: 'ws-1' },
      })),
    });
    expect(imported.status).toBe(201);
    const [reportedImport, keptImport] = imported.body.imported as { keyId: string }[];

    const wrongSecret = newSecret(control.key.keyId, 'production');
    const candidates = [
      ...live.map((k) => k.secret),
      ...revoked.map((k) => k.secret),
      canary.secret,
      importedSecrets[0] as string,
      wrongSecret,
      ...Array.from({ length: 40 }, () => newSecret(newKeyId(), 'production')),
      ...Array.from({ length: 40 }, () => randomBytes(24).toString('hex')),
    ];
    const garbage = Array.from({ length: 1000 - candidates.length - 1 }, (_, i) =>
      i % 3 === 0
        ? `${live[0]?.secret.slice(0, -1)}${i % 2 ? 'A' : 'B'}`
        : i % 3 === 1
          ? `lk_live_${randomBytes(8).toString('hex')}`
          : `short ${i}`,
    );
    const strings = [...candidates, live[0]?.secret as string, ...garbage].sort(() => Math.random() - 0.5);
    expect(strings).toHaveLength(1000);

    let reads = 0;
    const counting = 'public-report-reads';
    dynamoDocument().middlewareStack.add(
      (next) => async (args) => {
        if ((args.input as { Key?: { keyId?: string } }).Key?.keyId) reads++;
        return next(args);
      },
      { step: 'initialize', name: counting },
    );
    let mixed: Awaited<ReturnType<typeof report>>;
    try {
      mixed = await report(strings);
      await settled();
    } finally {
      dynamoDocument().middlewareStack.remove(counting);
    }
    expect(mixed.status).toBe(202);
    // One read per string that could be a key (garbage: none); then each revocation reads its key again.
    expect(reads).toBe(candidates.length + live.length + 1);

    for (const k of [...live, { key: reportedImport as { keyId: string } }])
      expect((await key(k.key.keyId)).status, k.key.keyId).toBe('revoked');
    for (const k of [control, canary, { key: keptImport as { keyId: string } }])
      expect((await key(k.key.keyId)).status, k.key.keyId).toBe('active');
    for (const r of revoked) expect((await key(r.key.keyId)).version).toBe(2);

    const leaked = await eventsOf(svc, 'API Key Leaked');
    expect(leaked.map((e) => e.detail.keyId).sort()).toEqual(
      [...live.map((k) => k.key.keyId), reportedImport?.keyId].sort(),
    );
    for (const e of leaked) expect(e.detail).toMatchObject({ actor: 'public-report', action: 'revoke' });
    const audit = await svc.api('GET', `/v1/audit?keyId=${live[0]?.key.keyId}`);
    expect(audit.body.items[0]).toMatchObject({ actor: 'public-report', action: 'key.revoked' });
    await vi.waitFor(async () => {
      const trips = await eventsOf(svc, 'API Key Canary Triggered');
      expect(trips.map((e) => e.detail)).toEqual([
        expect.objectContaining({ keyId: canary.key.keyId, route: 'POST /v1/credentials/revoke' }),
      ]);
    });

    // The same answer, byte for byte, for strings that are all garbage, and for a key already revoked.
    const nothing = await report(garbage.slice(0, 10));
    const again = await report([live[1]?.secret]);
    await settled();
    for (const other of [nothing, again]) {
      expect(other.status).toBe(mixed.status);
      expect(other.text).toBe(mixed.text);
      expect(other.headers).toEqual(mixed.headers);
    }
  });

  it('refuses a body that is not a list of at most 1,000 strings, naming what is wrong', async () => {
    const tooMany = await report(Array.from({ length: 1001 }, () => 'x'));
    expect(tooMany.status).toBe(400);
    expect(JSON.parse(tooMany.text).error.message).toMatch(/credentials must hold at most 1000 strings/);
  });

  it('answers an address that sends too much 429 with Retry-After, as the WAF does in AWS', async () => {
    // Five a minute here (LATCHKEY_PUBLIC_REQUESTS_PER_MINUTE); four were sent above.
    const fifth = await report(['x']);
    expect(fifth.status).toBe(202);
    const sixth = await fetch(`${svc.url}/v1/credentials/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credentials: ['x'] }),
    });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await sixth.json()).error.code).toBe('RATE_LIMITED');
    // The management API is not throttled by it.
    expect((await svc.api('GET', '/v1/keys?limit=1')).status).toBe(200);
  });
});
