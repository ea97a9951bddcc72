import { now } from '#config/clock.ts';
import type { TripSighting, UsageStore } from '#domain/shared/ports.ts';
import { UsageTally } from '#domain/usage/usage-window.ts';

/**
 * Usage counting off the check's path. Each check adds to an in-memory batch; a flush writes the
 * batch (one ADD per key and day, plus lastUsedAt at most once a minute per key) without the
 * check ever awaiting it: it starts on a later turn of the event loop, once the batch is
 * `flushMs` old (LATCHKEY_USAGE_FLUSH_SECONDS, default 10).
 *
 * What can be lost: in Lambda a frozen instance resumes its flush on its next invocation, but
 * counts still in an instance's batch when Lambda retires it (at most `flushMs` of that
 * instance's traffic) are lost, and so is a batch whose write fails (it is logged). Locally the
 * server flushes on a timer and once more on stop.
 */
export interface UsageSink {
  record(keyId: string, allowed: boolean): void;
  /** A canary was tripped: a refused request, and a trip on its key's record. */
  trip(keyId: string, sighting: TripSighting): void;
  flush(): Promise<void>;
}

export function usageRecorder(
  store: Pick<UsageStore, 'add' | 'touch' | 'trip'>,
  options: { flushMs: number; now?: () => Date; onError?: (error: unknown) => void },
): UsageSink {
  const clock = options.now ?? now;
  let pending = new UsageTally();
  let oldest = 0;
  let flushing: Promise<void> | undefined;
  const lastTouched = new Map<string, number>();
  const touches = new Map<string, string>();

  async function flush(): Promise<void> {
    if (flushing) await flushing;
    if (pending.size === 0 && touches.size === 0) return;
    const batch = pending;
    const touching = new Map(touches);
    pending = new UsageTally();
    touches.clear();
    oldest = 0;
    flushing = (async () => {
      const writes = [
        ...batch.days().map((c) => store.add(c.keyId, c.day, c.allowed, c.refused)),
        ...[...touching].map(([keyId, at]) => store.touch(keyId, at)),
        ...batch.tripped().map((trips) => store.trip(trips)),
      ];
      for (const result of await Promise.allSettled(writes)) {
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
    record(keyId, allowed) {
      const at = clock();
      const t = at.getTime();
      pending.add(keyId, at, allowed);
      // lastUsedAt at most once a minute per key.
      if (allowed && t - (lastTouched.get(keyId) ?? 0) >= 60_000) {
        lastTouched.set(keyId, t);
        touches.set(keyId, at.toISOString());
      }
      scheduleFlush(t);
    },
    trip(keyId, sighting) {
      const at = clock();
      pending.trip(keyId, at, sighting);
      scheduleFlush(at.getTime());
    },
    flush,
  };
}
