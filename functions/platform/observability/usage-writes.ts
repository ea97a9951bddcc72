import type { RequestLog } from '#domain/usage/recent-requests.ts';
import type { UsageStore } from '#domain/usage/usage-store.ts';
import type { LastUse, UsageTally } from '#domain/usage/usage-window.ts';

/**
 * What one counting batch writes, for both counting paths (the local counter and usage-ingest):
 * per key, its day merged into the stored day (per day it touched: one, unless the batch spans
 * midnight), its newest requests as one item, its last use, and a canary's trips. At most one
 * write of each kind per key, never one per check. Every write is tried; the results say which
 * failed.
 */
export function writeTally(
  stores: { usage: Pick<UsageStore, 'add' | 'touch' | 'trip'>; requests: Pick<RequestLog, 'append'> },
  tally: UsageTally,
  touches: ReadonlyMap<string, LastUse>,
): Promise<PromiseSettledResult<void>[]> {
  return Promise.allSettled([
    ...tally.days().map((d) => stores.usage.add(d.keyId, d.day, d.insight)),
    ...tally.requests().map((r) => stores.requests.append(r.keyId, r.rows)),
    ...[...touches].map(([keyId, lastUse]) => stores.usage.touch(keyId, lastUse)),
    ...tally.tripped().map((trips) => stores.usage.trip(trips)),
  ]);
}
