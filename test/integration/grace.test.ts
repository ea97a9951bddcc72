import { afterEach, describe, expect, it } from 'vitest';
import { context, loadHandler, scheduledEvent } from '../support/lambda.ts';
import { createKey, eventsOf, flushUsage, useTestService } from '../support/service.ts';

/**
 * Rotation that watches the old key, with the test clock: grace usage on both keys, one "API
 * Key Still In Use" when the old key was used in the hour before its grace ends (none when it was
 * not; the midpoint for a grace of an hour or less), and extend-grace within its bounds.
 */
const MIN = 60_000;
const svc = useTestService();
let t0: number;

afterEach(() => {
  delete process.env.LATCHKEY_CLOCK;
});

/** The test clock (LATCHKEY_CLOCK) `ms` after the test's start. */
const at = (ms: number) => {
  process.env.LATCHKEY_CLOCK = new Date(t0 + ms).toISOString();
};
const use = async (secret: string) => {
  const res = await svc.demo(secret, { headers: { 'x-workspace-id': 'ws-1' } });
  expect(res.status).toBe(200);
};
/** What the local server's timer (EventBridge every 5 minutes in AWS) runs. */
const graceCheck = async () => (await loadHandler('grace-check'))(scheduledEvent(), context());
const stillInUse = (keyId: string) => eventsOf(svc, 'API Key Still In Use', keyId);

async function rotated(graceSeconds: number, before?: (secret: string) => Promise<void>) {
  const old = await createKey(svc, { owner: 'grace' });
  await before?.(old.secret);
  const res = await svc.api('POST', `/v1/keys/${old.key.keyId}/rotate`, { gracePeriodSeconds: graceSeconds });
  expect(res.status, res.text).toBe(201);
  return { oldId: old.key.keyId, oldSecret: old.secret, newId: res.body.key.keyId as string };
}

describe('a rotation in grace', () => {
  it('counts the old key’s requests since the rotation on both keys, and warns once when it is still used an hour before the end', async () => {
    t0 = Date.now();
    at(0);
    const r = await rotated(2 * 3600, async (secret) => {
      await use(secret);
      await flushUsage();
    });
    for (const id of [r.oldId, r.newId])
      expect((await svc.api('GET', `/v1/keys/${id}`)).body.graceUsage).toEqual({
        since: expect.any(String),
        requests: 0,
        lastUsedAt: null,
      });
    at(10 * MIN);
    await use(r.oldSecret);
    await use(r.oldSecret);
    await flushUsage();
    const usage = (await svc.api('GET', `/v1/keys/${r.newId}`)).body.graceUsage;
    expect(usage).toMatchObject({ requests: 2, lastUsedAt: expect.any(String) });
    expect((await svc.api('GET', `/v1/keys/${r.oldId}`)).body.graceUsage).toEqual(usage);

    // Not yet an hour before the end: no check.
    at(50 * MIN);
    await graceCheck();
    expect(await stillInUse(r.oldId)).toEqual([]);
    // Used 30 minutes before the grace ends: one warning, however often the check runs.
    at(90 * MIN);
    await use(r.oldSecret);
    await flushUsage();
    await graceCheck();
    await graceCheck();
    const events = await stillInUse(r.oldId);
    expect(events).toHaveLength(1);
    expect(events[0]?.detail).toMatchObject({
      keyId: r.oldId,
      newKeyId: r.newId,
      lastUsedAt: expect.any(String),
      graceEndsAt: new Date(Date.parse(usage.since) + 2 * 3600_000).toISOString(),
      actor: 'latchkey-grace-check',
    });
    expect(Date.parse(events[0]?.detail.lastUsedAt)).toBeGreaterThanOrEqual(t0 + 90 * MIN);
  });

  it('sends nothing for an old key not used in the last hour', async () => {
    t0 = Date.now();
    at(0);
    const r = await rotated(2 * 3600);
    at(10 * MIN);
    await use(r.oldSecret);
    await flushUsage();
    at(90 * MIN);
    await graceCheck();
    expect(await stillInUse(r.oldId)).toEqual([]);
  });

  it('checks a grace of an hour or less at its midpoint', async () => {
    t0 = Date.now();
    at(0);
    const r = await rotated(40 * 60);
    at(15 * MIN);
    await use(r.oldSecret);
    await flushUsage();
    await graceCheck();
    expect(await stillInUse(r.oldId)).toEqual([]);
    at(21 * MIN);
    await graceCheck();
    expect(await stillInUse(r.oldId)).toHaveLength(1);
  });

  it('extends the grace by at most 7 days a call and never past 30 days from the rotation, audited, and checks again before the new end', async () => {
    t0 = Date.now();
    at(0);
    const r = await rotated(3600);
    const extend = (seconds: number, keyId = r.oldId) =>
      svc.api('POST', `/v1/keys/${keyId}/extend-grace`, { seconds });
    const tooMuch = await extend(8 * 86_400);
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.details[0].field).toBe('seconds');
    const ends: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await extend(7 * 86_400);
      expect(res.status, res.text).toBe(200);
      ends.push(res.body.expiresAt);
    }
    expect(Date.parse(ends[3] as string) - t0).toBeGreaterThan(28 * 86_400_000);
    const past = await extend(7 * 86_400);
    expect(past.status).toBe(400);
    expect(past.body.error.message).toMatch(/30 days from the rotation.*at most \d+ more seconds/);
    const notInGrace = await extend(60, r.newId);
    expect(notInGrace.status).toBe(409);
    const audit = await svc.api('GET', `/v1/audit?keyId=${r.oldId}`);
    expect(audit.body.items[0]).toMatchObject({
      action: 'key.grace_extended',
      actor: 'local-admin',
      changes: { expiresAt: { before: ends[2], after: ends[3] } },
    });
    // The check moved with the end: used in the hour before the new end, it warns then.
    at(Date.parse(ends[3] as string) - t0 - 30 * MIN);
    await use(r.oldSecret);
    await flushUsage();
    await graceCheck();
    expect(await stillInUse(r.oldId)).toHaveLength(1);
  });
});
