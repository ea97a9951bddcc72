import { logger } from './logger.ts';

/**
 * The readiness answer (does the keys table answer?), kept `ttlMs` in this instance: however
 * often it is asked, `ping` runs at most once per `ttlMs` after the last one ended, and concurrent
 * asks share one run. A failure is kept as long as a success, so a caller cannot make a struggling
 * table answer it on every request either.
 */
export function readiness(
  ping: () => Promise<void>,
  ttlMs: number,
  now: () => number = Date.now,
): () => Promise<boolean> {
  let kept: { ready: boolean; at: number } | undefined;
  let inFlight: Promise<boolean> | undefined;
  const check = async () => {
    try {
      await ping();
      return true;
    } catch (error) {
      logger.error('healthz: the database does not answer', { errorName: (error as Error)?.name });
      return false;
    }
  };
  return () => {
    if (kept && now() - kept.at < ttlMs) return Promise.resolve(kept.ready);
    inFlight ??= check()
      .then((ready) => {
        kept = { ready, at: now() };
        return ready;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
