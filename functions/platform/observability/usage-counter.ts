import type { TripSighting } from '#domain/shared/ports.ts';
import type { CheckRecord } from '#domain/usage/check-record.ts';
import type { RequestLog } from '#domain/usage/recent-requests.ts';
import type { UsageStore } from '#domain/usage/usage-store.ts';
import { type LastUse, UsageTally } from '#domain/usage/usage-window.ts';
import { writeTally } from './usage-writes.ts';

/**
 * Usage counting off the check's path. Each check adds to an in-memory batch; a flush writes the
 * batch (per key: its day's counts, refusals, top routes and addresses and latency merged into
 * the stored day, its newest requests as one item, and its last use at most once a minute)
 * without the check ever awaiting it: it starts on a later turn of the event loop, once the batch
 * is `flushMs` old (LATCHKEY_USAGE_FLUSH_SECONDS, default 10).
 *
 * What can be lost: in Lambda a frozen instance resumes its flush on its next invocation, but
 * counts still in an instance's batch when Lambda retires it (at most `flushMs` of that
 * instance's traffic) are lost, and so is a batch whose write fails (it is logged). Locally the
 * server flushes on a timer and once more on stop.
 */
export interface UsageSink {
  /** A check that counts against its key (its secret was proven). */
  record(check: CheckRecord): void;
  /** A canary was tripped: a refused request, and a trip on its key's record. */
  trip(check: CheckRecord, sighting: TripSighting): void;
  flush(): Promise<void>;
}

export function usageRecorder(
  stores: { usage: Pick<UsageStore, 'add' | 'touch' | 'trip'>; requests: Pick<RequestLog, 'append'> },
  options: { flushMs: number; onError?: (error: unknown) => void },
): UsageSink {
  let pending = new UsageTally();
  let oldest = 0;
  let flushing: Promise<void> | undefined;
  const lastTouched = new Map<string, number>();
  const touches = new Map<string, LastUse>();

  async function flush(): Promise<void> {
    if (flushing) await flushing;
    if (pending.size === 0 && touches.size === 0) return;
    const batch = pending;
    const touching = new Map(touches);
    pending = new UsageTally();
    touches.clear();
    oldest = 0;
    flushing = (async () => {
      for (const result of await writeTally(stores, batch, touching)) {
        if (result.status === 'rejected') options.onError?.(result.reason);
      }
    })();
    try {
      await flushing;
    } finally {
      flushing = undefined;
    }
  }

  /** Never on the check's path: the flush starts after this turn, and nobody awaits it. */
  const scheduleFlush = (t: number) => {
    if (oldest === 0) oldest = t;
    if (!flushing && t - oldest >= options.flushMs) setImmediate(() => void flush());
  };

  return {
    record(check) {
      const t = Date.parse(check.at);
      pending.add(check);
      if (check.outcome === 'ALLOWED') {
        // The last use at most once a minute per key; within a batch, its latest check.
        const due = t - (lastTouched.get(check.keyId) ?? 0) >= 60_000;
        if (due || touches.has(check.keyId)) {
          if (due) lastTouched.set(check.keyId, t);
          const latest = pending.lastUseOf(check.keyId);
          if (latest) touches.set(check.keyId, latest);
        }
      }
      scheduleFlush(t);
    },
    trip(check, sighting) {
      pending.trip(check, sighting);
      scheduleFlush(Date.parse(check.at));
    },
    flush,
  };
}
