import { describe, expect, it } from 'vitest';
import { cliAgainst } from '../support/cli.ts';
import { newKey, useTestService } from '../support/service.ts';

const PLANS = {
  free: { rateLimit: 5, burstLimit: 5, quota: { limit: 1000, period: 'DAY' } },
  tiny: { rateLimit: 1000, burstLimit: 1000, quota: { limit: 10, period: 'MONTH' } },
  open: { rateLimit: 1000, burstLimit: 1000 },
  // One token per 100 s: a burst test that no refill can disturb, however slow the machine.
  slow: { rateLimit: 0.01, burstLimit: 5 },
};

// Read by the handlers and the local server at their start, as LATCHKEY_PLANS is for `npm start`.
const svc = useTestService({ env: { LATCHKEY_PLANS: JSON.stringify(PLANS) } });

const demo = async (secret: string) => {
  const res = await svc.demo(secret);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: res.body };
};

describe('plans on the local server', () => {
  it('lists the configured plans', async () => {
    const res = await svc.api('GET', '/v1/plans');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      mode: 'local',
      items: [
        { name: 'free', ...PLANS.free },
        { name: 'tiny', ...PLANS.tiny },
        { name: 'open', ...PLANS.open },
        { name: 'slow', ...PLANS.slow },
      ],
    });
  });

  it('sets a plan on create and PATCH, and refuses an unknown plan with a 400 naming it', async () => {
    const created = await svc.api('POST', '/v1/keys', newKey({ plan: 'free' }));
    expect(created.status).toBe(201);
    expect(created.body.key.plan).toBe('free');
    const keyId = created.body.key.keyId;
    expect((await svc.api('GET', `/v1/keys/${keyId}`)).body.plan).toBe('free');

    const unknown = await svc.api('POST', '/v1/keys', newKey({ plan: 'gold' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([
      { field: 'plan', message: 'plan "gold" is not configured; the plans are free, tiny, open, slow' },
    ]);
    const badShape = await svc.api('POST', '/v1/keys', newKey({ plan: 'Gold!' }));
    expect(badShape.status).toBe(400);
    expect(badShape.body.error.details[0].field).toBe('plan');

    const patchedUnknown = await svc.api('PATCH', `/v1/keys/${keyId}`, { plan: 'gold' });
    expect(patchedUnknown.status).toBe(400);
    expect(patchedUnknown.body.error.details[0]).toMatchObject({ field: 'plan' });

    const patched = await svc.api('PATCH', `/v1/keys/${keyId}`, { plan: 'tiny' });
    expect(patched.status).toBe(200);
    expect(patched.body.plan).toBe('tiny');
    const removed = await svc.api('PATCH', `/v1/keys/${keyId}`, { plan: null });
    expect(removed.body).not.toHaveProperty('plan');
    const audit = await svc.api('GET', `/v1/audit?keyId=${keyId}`);
    expect(audit.body.items.some((e: { changes?: Record<string, unknown> }) => e.changes?.plan)).toBe(true);
  });

  it('answers 429 "Too Many Requests" with Retry-After once the burst is spent', async () => {
    const { secret } = (await svc.api('POST', '/v1/keys', newKey({ plan: 'slow' }))).body;
    const burst = await Promise.all(Array.from({ length: 8 }, () => demo(secret)));
    expect(burst.filter((r) => r.status === 200)).toHaveLength(5);
    const throttled = burst.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(3);
    for (const r of throttled) {
      expect(r.body).toEqual({ message: 'Too Many Requests' });
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(r.retryAfter)).toBeLessThanOrEqual(100);
    }
  });

  it('lets requests through at the plan rate (5/s after a burst of 5), and counts them against the quota', async () => {
    const { key, secret } = (await svc.api('POST', '/v1/keys', newKey({ plan: 'free' }))).body;
    // Asking back to back for 1.5 s: the allowed count follows the burst and the rate, whatever the pace.
    const started = Date.now();
    let allowed = 0;
    let sent = 0;
    const retryAfter = new Set<string | null>();
    while (Date.now() - started < 1500) {
      const r = await demo(secret);
      sent++;
      if (r.status === 200) allowed++;
      else retryAfter.add(r.retryAfter);
    }
    const elapsed = (Date.now() - started) / 1000;
    expect(allowed).toBeGreaterThanOrEqual(5);
    expect(allowed).toBeLessThanOrEqual(5 + Math.ceil(5 * elapsed));
    if (sent > allowed) expect([...retryAfter]).toEqual(['1']);
    const quota = await svc.api('GET', `/v1/keys/${key.keyId}/quota`);
    expect(quota.body).toMatchObject({
      keyId: key.keyId,
      plan: 'free',
      limit: 1000,
      period: 'DAY',
      used: allowed,
    });
    expect(quota.body.remaining).toBe(1000 - allowed);
    expect(Date.parse(quota.body.resetsAt)).toBeGreaterThan(Date.now());
  });

  it('enforces the quota with "Limit Exceeded" and announces 80% and 100% once', async () => {
    const { key, secret } = (await svc.api('POST', '/v1/keys', newKey({ plan: 'tiny', name: 'quota key' })))
      .body;
    for (let i = 0; i < 10; i++) expect((await demo(secret)).status).toBe(200);
    const over = await demo(secret);
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ message: 'Limit Exceeded' });
    expect(Number(over.retryAfter)).toBeGreaterThan(0);
    expect((await demo(secret)).status).toBe(429);
    expect((await svc.api('GET', `/v1/keys/${key.keyId}/quota`)).body).toMatchObject({
      plan: 'tiny',
      used: 10,
      remaining: 0,
      period: 'MONTH',
    });
    const events = await waitForQuotaEvents(key.keyId, 2);
    expect(events.map((e) => e.detail.threshold).sort()).toEqual([100, 80]);
    expect(events[0]?.detail).toMatchObject({ keyId: key.keyId, name: 'quota key', plan: 'tiny', limit: 10 });
  });

  it('does not limit a key without a plan, or on a plan without a quota', async () => {
    const plain = (await svc.api('POST', '/v1/keys', newKey())).body;
    const results = await Promise.all(Array.from({ length: 12 }, () => demo(plain.secret)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect((await svc.api('GET', `/v1/keys/${plain.key.keyId}/quota`)).body).toEqual({
      keyId: plain.key.keyId,
      plan: null,
      shared: false,
    });
    const open = (await svc.api('POST', '/v1/keys', newKey({ plan: 'open' }))).body;
    expect((await demo(open.secret)).status).toBe(200);
    expect((await svc.api('GET', `/v1/keys/${open.key.keyId}/quota`)).body).toMatchObject({
      plan: 'open',
      limit: null,
      remaining: null,
    });
  });
});

describe('plans in the CLI, against the local server', () => {
  const latchkey = cliAgainst(svc);
  const run = (...argv: string[]) => latchkey.run(argv, { env: { NO_COLOR: '1' } });

  it('keys create --plan, keys update --plan / --no-plan, and the quota in keys get and keys usage', async () => {
    const created = await run(
      'keys',
      'create',
      '--name',
      'cli plan',
      '--owner',
      'alice',
      '--plan',
      'tiny',
      '--json',
    );
    expect(created.code).toBe(0);
    const { key, secret } = JSON.parse(created.stdout);
    expect(key.plan).toBe('tiny');
    for (let i = 0; i < 3; i++) expect((await demo(secret)).status).toBe(200);

    const shown = await run('keys', 'get', key.keyId);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Plan\s+tiny/);
    expect(shown.stdout).toMatch(/Quota: tiny: 3 of 10 this month \(7 left, resets /);
    const usage = await run('keys', 'usage', key.keyId, '--days', '1');
    expect(usage.stdout).toMatch(/Quota: tiny: 3 of 10 this month/);
    // --json stays exactly the API's answer.
    expect(JSON.parse((await run('keys', 'get', key.keyId, '--json')).stdout)).not.toHaveProperty('used');

    const unknown = await run('keys', 'update', key.keyId, '--plan', 'gold');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/plan "gold" is not configured/);
    expect(JSON.parse((await run('keys', 'update', key.keyId, '--plan', 'free', '--json')).stdout).plan).toBe(
      'free',
    );
    const cleared = JSON.parse((await run('keys', 'update', key.keyId, '--no-plan', '--json')).stdout);
    expect(cleared).not.toHaveProperty('plan');
    expect((await run('keys', 'get', key.keyId)).stdout).not.toMatch(/Quota:/);
  });
});

/** The events are published after the answer, off its path: read until they are there. */
async function waitForQuotaEvents(keyId: string, count: number) {
  for (;;) {
    const res = await svc.api('GET', '/v1/events?limit=100');
    const found = (
      res.body.items as { detailType: string; detail: { keyId: string; threshold: number } }[]
    ).filter((e) => e.detailType === 'API Key Quota Threshold' && e.detail.keyId === keyId);
    if (found.length >= count) return found;
    await new Promise((r) => setImmediate(r));
  }
}
