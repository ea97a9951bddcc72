import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { now } from '../../functions/config/clock.ts';
import { newKey, startTestService, type TestService } from '../support/service.ts';

/** LATCHKEY_CLOCK: the service's clock starts at a given time and runs forward; everything follows it. */
const DAY = 86_400_000;
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService();
});
afterAll(() => svc?.stop());
afterEach(() => {
  delete process.env.LATCHKEY_CLOCK;
});

const demo = async (secret: string) =>
  (await fetch(`${svc.url}/demo/orders`, { headers: { authorization: `Bearer ${secret}` } })).status;

describe('the test clock', () => {
  it('moves expiry, rotation due dates and new keys to its time, and runs forward from there', async () => {
    const expiring = await svc.api(
      'POST',
      '/v1/keys',
      newKey({ expiresAt: new Date(Date.now() + 30 * DAY).toISOString() }),
    );
    const rotating = await svc.api('POST', '/v1/keys', newKey({ environment: 'production' }));
    expect(await demo(expiring.body.secret)).toBe(200);

    const ahead = new Date(Date.now() + 95 * DAY);
    process.env.LATCHKEY_CLOCK = ahead.toISOString();

    expect((await svc.api('GET', `/v1/keys/${expiring.body.key.keyId}`)).body.status).toBe('expired');
    expect(await demo(expiring.body.secret)).toBe(401);
    const sweep = await svc.api('POST', '/v1/rotation/sweep', {});
    expect(sweep.status, sweep.text).toBe(200);
    expect((sweep.body.flagged as { keyId: string }[]).map((e) => e.keyId)).toContain(
      rotating.body.key.keyId,
    );
    const made = await svc.api('POST', '/v1/keys', newKey());
    expect(Math.abs(Date.parse(made.body.key.createdAt) - ahead.getTime())).toBeLessThan(60_000);
    const later = now().getTime();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(now().getTime()).toBeGreaterThan(later);
  });

  it('is the real clock when unset', () => {
    expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(1000);
  });
});
