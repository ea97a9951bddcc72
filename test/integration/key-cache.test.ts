import { describe, expect, it } from 'vitest';
import { newKey, useTestService } from '../support/service.ts';

/**
 * The hot-key cache on the real local service: read by the verify path only. (Its TTL, bound,
 * coalescing and revocation across instances are driven on a fake clock in the unit tests.)
 */
// Read by the authorizer and /v1/verify at their cold start; 10 s is far longer than this file takes.
const svc = useTestService({ env: { LATCHKEY_KEY_CACHE_SECONDS: '10' } });

const demo = async (secret: string) => (await svc.demo(secret, { path: '/demo/orders/1' })).status;

describe('with LATCHKEY_KEY_CACHE_SECONDS set', () => {
  it('serves a revoked key from the cache within the bound, while the management API reads it fresh', async () => {
    const { key, secret } = (await svc.api('POST', '/v1/keys', newKey())).body;
    const cachedFrom = performance.now();
    expect(await demo(secret)).toBe(200);
    expect((await svc.api('POST', `/v1/keys/${key.keyId}/revoke`)).status).toBe(200);
    // The management API never caches: it shows the revocation at once.
    expect((await svc.api('GET', `/v1/keys/${key.keyId}`)).body.status).toBe('revoked');
    // The verify path serves its cached record until the bound (the README states it); past it, on
    // a machine slow enough to take 10 s for the lines above, the record is read again.
    const status = await demo(secret);
    expect(performance.now() - cachedFrom < 10_000 ? [200] : [200, 401]).toContain(status);
  });

  it('answers POST /v1/verify too, through its own cache', async () => {
    const { key, secret } = (await svc.api('POST', '/v1/keys', newKey())).body;
    const cachedFrom = performance.now();
    const verified = await svc.api('POST', '/v1/verify', { key: secret });
    expect(verified.body).toMatchObject({ valid: true, code: 'VALID' });
    expect((await svc.api('POST', `/v1/keys/${key.keyId}/revoke`)).status).toBe(200);
    // Within the bound the cached record still answers; without the cache this is REVOKED.
    const again = await svc.api('POST', '/v1/verify', { key: secret });
    if (performance.now() - cachedFrom < 10_000) expect(again.body).toMatchObject({ valid: true });
  });
});
