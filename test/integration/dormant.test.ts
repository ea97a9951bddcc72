import { afterEach, describe, expect, it } from 'vitest';
import { createKey, eventsOf, flushUsage, useTestService } from '../support/service.ts';

/**
 * Dormant keys, with the test clock: the policy's disableUnusedAfterDays disables an active key
 * unused that long (never used counts from creation), once, as `policy`; canaries and keys made
 * within the window are left; the compliance report names what the next 7 days will disable.
 */
const DAY = 86_400_000;
const svc = useTestService({ env: { LATCHKEY_POLICY: JSON.stringify({ disableUnusedAfterDays: 60 }) } });
const start = Date.now();

afterEach(() => {
  delete process.env.LATCHKEY_CLOCK;
});

/** The test clock (LATCHKEY_CLOCK) `days` after the test's start. */
const at = (days: number) => {
  process.env.LATCHKEY_CLOCK = new Date(start + days * DAY).toISOString();
};
const create = (overrides: Record<string, unknown> = {}) =>
  createKey(svc, { owner: 'dormancy', ...overrides });
const status = async (keyId: string) => (await svc.api('GET', `/v1/keys/${keyId}`)).body.status;
const disabledEvents = () => eventsOf(svc, 'API Key Disabled (Unused)');

describe('disableUnusedAfterDays', () => {
  it('disables a key unused for the policy’s days once, and leaves canaries and fresh keys', async () => {
    at(0);
    const neverUsed = await create();
    const usedLater = await create();
    const canary = await create({ type: 'canary' });
    at(30);
    const used = await svc.demo(usedLater.secret, { headers: { 'x-workspace-id': 'ws-1' } });
    expect(used.status).toBe(200);
    await flushUsage();
    at(55);
    const fresh = await create();

    at(61);
    const report = await svc.api('GET', '/v1/reports/compliance');
    expect(report.body.disablingSoon.map((e: { keyId: string }) => e.keyId)).toEqual([neverUsed.key.keyId]);
    const sweep = await svc.api('POST', '/v1/rotation/sweep', {});
    expect(sweep.status, sweep.text).toBe(200);
    expect(sweep.body.disabledUnused.map((e: { keyId: string }) => e.keyId)).toEqual([neverUsed.key.keyId]);
    expect(await status(neverUsed.key.keyId)).toBe('inactive');
    for (const k of [usedLater, canary, fresh]) expect(await status(k.key.keyId)).toBe('active');
    const [event] = await disabledEvents();
    expect(event?.detail).toMatchObject({
      keyId: neverUsed.key.keyId,
      actor: 'policy',
      disableUnusedAfterDays: 60,
    });
    const audit = await svc.api('GET', `/v1/audit?keyId=${neverUsed.key.keyId}`);
    expect(audit.body.items[0]).toMatchObject({
      actor: 'policy',
      action: 'key.disabled',
      changes: { status: { before: 'active', after: 'inactive' } },
    });

    // Once: a second sweep, and one after the key is enabled again, disable nothing more.
    expect((await svc.api('POST', '/v1/rotation/sweep', {})).body.disabledUnused).toEqual([]);
    expect((await svc.api('PATCH', `/v1/keys/${neverUsed.key.keyId}`, { enabled: true })).status).toBe(200);
    expect((await svc.api('POST', '/v1/rotation/sweep', {})).body.disabledUnused).toEqual([]);
    expect(await disabledEvents()).toHaveLength(1);

    // The key used on day 30 is 60 days unused on day 90: listed from day 83, disabled on day 90.
    at(84);
    const soon = await svc.api('GET', '/v1/reports/compliance');
    const [entry] = soon.body.disablingSoon;
    expect(soon.body.disablingSoon).toHaveLength(1);
    expect(entry).toMatchObject({
      keyId: usedLater.key.keyId,
      disablesAt: new Date(Date.parse(entry.lastUsedAt) + 60 * DAY).toISOString(),
    });
    expect([6, 7]).toContain(entry.daysLeft);
    expect((await svc.api('POST', '/v1/rotation/sweep', {})).body.disabledUnused).toEqual([]);
    at(90.01);
    const later = await svc.api('POST', '/v1/rotation/sweep', {});
    expect(later.body.disabledUnused.map((e: { keyId: string }) => e.keyId)).toEqual([usedLater.key.keyId]);
    for (const k of [canary, fresh]) expect(await status(k.key.keyId)).toBe('active');
  });
});
