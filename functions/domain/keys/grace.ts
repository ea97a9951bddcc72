import { DAY_MS } from './key.ts';

/** A rotation's grace never runs past this many days from the rotation (extend-grace included). */
export const MAX_GRACE_DAYS = 30;
/** What one extend-grace call may add. */
export const MAX_GRACE_EXTENSION_SECONDS = 7 * 86_400;
export const HOUR_MS = 3_600_000;

/** The latest a grace from `from` may end: 30 days on, or the key's own expiry if that is sooner. */
export function graceLimit(from: string, expiresAt: string | null): string {
  const limit = new Date(Date.parse(from) + MAX_GRACE_DAYS * DAY_MS).toISOString();
  return expiresAt && expiresAt < limit ? expiresAt : limit;
}

/**
 * When the "API Key Still In Use" check of a grace runs: an hour before it ends, or at its
 * midpoint when the whole grace is an hour or less (an hour before would be before it began).
 */
export function graceCheckAt(from: string, end: string): string {
  const start = Date.parse(from);
  const stop = Date.parse(end);
  return new Date(stop - start <= HOUR_MS ? start + (stop - start) / 2 : stop - HOUR_MS).toISOString();
}
