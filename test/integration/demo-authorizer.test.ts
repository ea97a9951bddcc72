import { afterEach, describe, expect, it, vi } from 'vitest';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { logger } from '#platform/observability/logger.ts';
import { newKey, useTestService } from '../support/service.ts';

// Configuration of the protected API, read by the authorizer at its cold start.
const svc = useTestService({
  env: {
    LATCHKEY_ROUTE_PERMISSIONS: JSON.stringify({ 'POST /demo/orders*': 'orders:write' }),
    LATCHKEY_WORKSPACE_SOURCE: 'header:x-workspace-id',
  },
});
afterEach(() => vi.restoreAllMocks());

const demo = (path: string, headers: Record<string, string>, method = 'GET') =>
  svc.demo(undefined, { path, method, headers: { 'x-workspace-id': 'ws-1', ...headers } });
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

describe('/demo behind the authorizer, end to end on DynamoDB Local', () => {
  it('allows a good key and echoes its context, never the secret', async () => {
    const { key, secret } = (await svc.api('POST', '/v1/keys', newKey({ name: 'demo key' }))).body;
    const res = await demo('/demo/orders/1', bearer(secret));
    expect(res.status).toBe(200);
    expect(res.body.authorizer).toMatchObject({
      keyId: key.keyId,
      principalId: key.keyId,
      name: 'demo key',
      owner: 'alice',
      roles: 'read',
      workspaceId: 'ws-1',
      code: 'VALID',
    });
    expect(JSON.stringify(res.body)).not.toContain(secret);
    expect((await demo('/demo/orders/1', { 'X-Api-Key': secret })).status).toBe(200);
  });

  it('refuses a revoked key on the very next request', async () => {
    const { key, secret } = (await svc.api('POST', '/v1/keys', newKey())).body;
    expect((await demo('/demo/x', bearer(secret))).status).toBe(200);
    await svc.api('POST', `/v1/keys/${key.keyId}/revoke`);
    expect((await demo('/demo/x', bearer(secret))).status).toBe(401);
  });

  it('refuses a disabled key and lets it back in when enabled', async () => {
    const { key, secret } = (await svc.api('POST', '/v1/keys', newKey())).body;
    await svc.api('PATCH', `/v1/keys/${key.keyId}`, { enabled: false });
    expect((await demo('/demo/x', bearer(secret))).status).toBe(401);
    await svc.api('PATCH', `/v1/keys/${key.keyId}`, { enabled: true });
    expect((await demo('/demo/x', bearer(secret))).status).toBe(200);
  });

  it('answers 401 without a key or with a malformed or unknown one', async () => {
    const { secret } = (await svc.api('POST', '/v1/keys', newKey())).body;
    expect((await demo('/demo/x', {})).status).toBe(401);
    expect((await demo('/demo/x', bearer('lk_live_nope'))).status).toBe(401);
    expect((await demo('/demo/x', bearer(`${secret.slice(0, 31)}${'A'.repeat(49)}`))).status).toBe(401);
  });

  it('answers 403 with the reason for permissions, workspace and IP', async () => {
    const reader = (await svc.api('POST', '/v1/keys', newKey())).body.secret;
    const writer = (await svc.api('POST', '/v1/keys', newKey({ permissions: ['orders:write'] }))).body.secret;
    const denied = await demo('/demo/orders', bearer(reader), 'POST');
    expect(denied).toMatchObject({ status: 403, body: { error: { code: 'INSUFFICIENT_PERMISSIONS' } } });
    expect((await demo('/demo/orders', bearer(writer), 'POST')).status).toBe(200);

    const elsewhere = await demo('/demo/x', { ...bearer(reader), 'x-workspace-id': 'ws-2' });
    expect(elsewhere).toMatchObject({ status: 403, body: { error: { code: 'WORKSPACE_NOT_ALLOWED' } } });

    const fenced = (await svc.api('POST', '/v1/keys', newKey({ ipAllowlist: ['10.0.0.0/8'] }))).body.secret;
    expect(await demo('/demo/x', bearer(fenced))).toMatchObject({
      status: 403,
      body: { error: { code: 'IP_NOT_ALLOWED' } },
    });
    const local = (await svc.api('POST', '/v1/keys', newKey({ ipAllowlist: ['127.0.0.1', '::1'] }))).body
      .secret;
    expect((await demo('/demo/x', bearer(local))).status).toBe(200);
  });

  it('says in each 403 which rule refused the key, naming the permission the route needed', async () => {
    const reader = (await svc.api('POST', '/v1/keys', newKey())).body.secret;
    const denied = await demo('/demo/orders', bearer(reader), 'POST');
    expect(denied.body.error.message).toContain('POST /demo/orders needs the permission orders:write');

    // A route the route map does not name needs its method's default: api:read for GET.
    await svc.api('POST', '/v1/roles', { name: 'tickets-only', permissions: ['tickets:read'] });
    const custom = (await svc.api('POST', '/v1/keys', newKey({ roles: ['tickets-only'] }))).body.secret;
    const unmapped = await demo('/demo/tickets/1', bearer(custom));
    expect(unmapped).toMatchObject({ status: 403, body: { error: { code: 'INSUFFICIENT_PERMISSIONS' } } });
    expect(unmapped.body.error.message).toContain('GET /demo/tickets/1 needs the permission api:read');

    const elsewhere = await demo('/demo/x', { ...bearer(reader), 'x-workspace-id': 'ws-2' });
    expect(elsewhere.body.error.message).toContain("not the key's workspace (ws-1)");

    const fenced = (await svc.api('POST', '/v1/keys', newKey({ ipAllowlist: ['10.0.0.0/8'] }))).body.secret;
    const outside = await demo('/demo/x', bearer(fenced));
    expect(outside.body.error.message).toMatch(
      /comes from (127\.0\.0\.1|::1), which is not in the key's IP allowlist/,
    );
    for (const res of [denied, unmapped, elsewhere, outside])
      expect(res.body.error.message).not.toContain('not allowed to call this route');
  });
});

describe('an authorizer fault on the local server', () => {
  it('answers 500 and is logged once, through the logger, with the key ID and never the secret', async () => {
    const { key, secret } = (await svc.api('POST', '/v1/keys', newKey())).body;
    const errors = vi.spyOn(logger, 'error');
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ProvisionedThroughputExceededException',
    });
    vi.spyOn(dynamoDocument(), 'send').mockRejectedValueOnce(throttled as never);
    const res = await demo('/demo/x', bearer(secret));
    expect(res.status).toBe(500);
    const faults = errors.mock.calls.filter(([message]) => String(message).startsWith('authorizer fault'));
    expect(faults).toEqual([
      [
        'authorizer fault: failing closed',
        { errorName: 'ProvisionedThroughputExceededException', keyId: key.keyId },
      ],
    ]);
    expect(JSON.stringify(errors.mock.calls)).not.toContain(secret);
  });
});

describe('POST /v1/verify', () => {
  it('gives the same decision as the authorizer, showing the key only once the secret is proven', async () => {
    const { key, secret } = (await svc.api('POST', '/v1/keys', newKey({ permissions: ['orders:write'] })))
      .body;
    const ok = await svc.api('POST', '/v1/verify', {
      key: secret,
      permission: 'orders:write',
      workspaceId: 'ws-1',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ valid: true, code: 'VALID', key: { keyId: key.keyId } });
    expect(ok.text).not.toContain(secret);

    const wrongWs = await svc.api('POST', '/v1/verify', { key: secret, workspaceId: 'ws-9' });
    expect(wrongWs.body).toMatchObject({ valid: false, code: 'WORKSPACE_NOT_ALLOWED' });
    const noPerm = await svc.api('POST', '/v1/verify', { key: secret, permission: 'billing:write' });
    expect(noPerm.body).toMatchObject({ valid: false, code: 'INSUFFICIENT_PERMISSIONS' });
    const ip = await svc.api('POST', '/v1/verify', { key: secret, sourceIp: '2001:db8::1' });
    expect(ip.body.code).toBe('VALID');

    const forged = `${secret.slice(0, 31)}${'B'.repeat(43)}`;
    const bad = await svc.api('POST', '/v1/verify', { key: forged });
    expect(bad.body.code).toBe('MALFORMED');
    expect(bad.body).not.toHaveProperty('key');
    expect((await svc.api('POST', '/v1/verify', {})).status).toBe(400);
  });
});
