import { describe, expect, it } from 'vitest';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { signedHeaders, signingKey, useKeysServer } from '../support/github-keys.ts';
import { createKey, eventsOf, useTestService } from '../support/service.ts';

/** LATCHKEY_LEAK_ACTION=disable, and the operator's POST /v1/leaks, on DynamoDB Local. */
const key = signingKey();
const github = useKeysServer([key]);
const svc = useTestService({
  env: () => ({ LATCHKEY_LEAK_KEYS_URL: github.url, LATCHKEY_LEAK_ACTION: 'disable' }),
});

async function githubReport(token: string) {
  const body = JSON.stringify([
    { token, type: 'latchkey_api_key', url: 'https://github.com/o/r', source: 'commit' },
  ]);
  const res = await fetch(`${svc.url}/v1/leaks/github`, {
    method: 'POST',
    headers: signedHeaders(body, key),
    body,
  });
  return { status: res.status, body: await res.json() };
}

const leakEvents = (keyId: string) => eventsOf(svc, 'API Key Leaked', keyId);

describe('LATCHKEY_LEAK_ACTION=disable', () => {
  it('disables the leaked key (it can be enabled again) and says so in the event', async () => {
    const { key: created, secret } = await createKey(svc, { owner: 'disabled-by-leak' });
    const res = await githubReport(secret);
    expect(res.body[0].label).toBe('true_positive');
    const stored = (await svc.api('GET', `/v1/keys/${created.keyId}`)).body;
    expect(stored).toMatchObject({ status: 'inactive', version: 2 });
    expect((await svc.api('POST', '/v1/verify', { key: secret })).body.code).toBe('DISABLED');
    const [event] = await leakEvents(created.keyId);
    expect(event?.detail).toMatchObject({
      action: 'disable',
      status: 'inactive',
      url: 'https://github.com/o/r',
    });
    const audit = (await svc.api('GET', `/v1/audit?keyId=${created.keyId}`)).body.items;
    expect(audit[0]).toMatchObject({
      action: 'key.disabled',
      actor: 'github-secret-scanning',
      context: { url: 'https://github.com/o/r', source: 'commit' },
    });

    // Reported again: a true positive, and still disabled once.
    expect((await githubReport(secret)).body[0].label).toBe('true_positive');
    expect((await svc.api('GET', `/v1/keys/${created.keyId}`)).body.version).toBe(2);
    expect(await leakEvents(created.keyId)).toHaveLength(1);
    const enabled = await svc.api('PATCH', `/v1/keys/${created.keyId}`, { enabled: true });
    expect(enabled.body.status).toBe('active');
  });

  it('revokes a superseded key still in its grace period, since it cannot be disabled', async () => {
    const { key: created, secret } = await createKey(svc, { owner: 'rotated-then-leaked' });
    const rotated = await svc.api('POST', `/v1/keys/${created.keyId}/rotate`, { gracePeriodSeconds: 3600 });
    expect(rotated.status).toBe(201);
    await githubReport(secret);
    expect((await svc.api('GET', `/v1/keys/${created.keyId}`)).body.status).toBe('revoked');
    const [event] = await leakEvents(created.keyId);
    expect(event?.detail.action).toBe('revoke');
    // Its successor is untouched.
    expect((await svc.api('GET', `/v1/keys/${rotated.body.key.keyId}`)).body.status).toBe('active');
  });
});

describe('POST /v1/leaks (an operator found it)', () => {
  it('acts as configured, or as asked, with the caller as the actor and the URL in the audit record', async () => {
    const first = await createKey(svc, { owner: 'operator-found' });
    const disabled = await svc.api('POST', '/v1/leaks', {
      secret: first.secret,
      url: 'https://paste.example/1',
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ label: 'true_positive', action: 'disable', changed: true });
    expect(disabled.body.key).toMatchObject({ keyId: first.key.keyId, status: 'inactive' });
    expect(disabled.text).not.toContain(first.secret);
    expect(disabled.body).not.toHaveProperty('tokenHash');

    const revoked = await svc.api('POST', '/v1/leaks', { secret: first.secret, action: 'revoke' });
    expect(revoked.body).toMatchObject({ label: 'true_positive', action: 'revoke', changed: true });
    expect(revoked.body.key.status).toBe('revoked');
    const audit = (await svc.api('GET', `/v1/audit?keyId=${first.key.keyId}`)).body.items;
    expect(audit.map((r: { action: string }) => r.action)).toEqual([
      'key.revoked',
      'key.disabled',
      'key.created',
    ]);
    expect(audit[1]).toMatchObject({
      actor: 'local-admin',
      context: { url: 'https://paste.example/1', source: 'operator' },
    });
    const again = await svc.api('POST', '/v1/leaks', { secret: first.secret, action: 'revoke' });
    expect(again.body).toMatchObject({ label: 'true_positive', changed: false });
  });

  it('answers a false positive with its reason and changes nothing', async () => {
    const { key: created } = await createKey(svc, { owner: 'not-leaked' });
    const wrong = await svc.api('POST', '/v1/leaks', { secret: newSecret(created.keyId, 'production') });
    expect(wrong.body).toEqual({ label: 'false_positive', code: 'INVALID_SECRET' });
    const unknown = await svc.api('POST', '/v1/leaks', { secret: newSecret(newKeyId(), 'development') });
    expect(unknown.body).toEqual({ label: 'false_positive', code: 'NOT_FOUND' });
    expect((await svc.api('POST', '/v1/leaks', { secret: 'lk_live_nope' })).body.code).toBe('MALFORMED');
    expect((await svc.api('GET', `/v1/keys/${created.keyId}`)).body.version).toBe(1);
  });

  it('takes the admin token, and refuses bad bodies naming every field', async () => {
    const res = await fetch(`${svc.url}/v1/leaks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: 'x' }),
    });
    expect(res.status).toBe(401);
    const bad = await svc.api('POST', '/v1/leaks', { secret: '', action: 'delete', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'action',
      'extra',
      'secret',
    ]);
  });
});
