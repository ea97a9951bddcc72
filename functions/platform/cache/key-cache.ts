import { LRUCache } from 'lru-cache';
import { revocationBoundSeconds } from '#config/key-cache.ts';
import type { Settings } from '#config/settings.ts';
import type { KeyRecord } from '#domain/keys/key.ts';

export type KeyReader = (keyId: string) => Promise<KeyRecord | undefined>;

export interface KeyCacheOptions {
  /** How long a read may answer checks, counted from when the read began; 0 turns the cache off. */
  readonly ttlMs: number;
  /** Entries kept (found and not-found alike); the least recently used go first. */
  readonly maxEntries: number;
  /** Milliseconds on a monotonic clock. @default performance.now */
  readonly now?: () => number;
}

/** Found and not-found are both cached: a value the cache can hold for either. */
interface Entry {
  readonly record: KeyRecord | undefined;
}

/**
 * The authorizer's per-instance hot-key cache: key records (and "not found") for at most `ttlMs`,
 * LRU-bounded by `maxEntries`, with concurrent lookups of one key coalesced into one read. A
 * record is never served `ttlMs` or more after the read that fetched it began, so a revocation
 * reaches every check of this instance within `ttlMs`. Read errors are never cached: the next
 * check reads again, and this one fails closed. With `ttlMs` 0 the reader is returned as it is:
 * every check reads.
 */
export function cachedKeyReader(read: KeyReader, options: KeyCacheOptions): KeyReader {
  const { ttlMs, maxEntries } = options;
  if (ttlMs <= 0) return read;
  const now = options.now ?? (() => performance.now());
  const cache = new LRUCache<string, Entry>({ max: maxEntries, perf: { now }, ttlResolution: 0 });
  const inFlight = new Map<string, Promise<KeyRecord | undefined>>();

  return (keyId) => {
    const hit = cache.get(keyId);
    if (hit) return Promise.resolve(hit.record);
    const pending = inFlight.get(keyId);
    if (pending) return pending;
    const started = now();
    const reading = read(keyId)
      .then((record) => {
        // What is left of the bound once the read is back (lru-cache serves while age <= ttl, hence
        // the 1 ms: never at `started + ttlMs`); a read slower than the bound is not kept.
        const ttl = Math.ceil(started + ttlMs - now()) - 1;
        if (ttl > 0) cache.set(keyId, { record }, { ttl });
        return record;
      })
      .finally(() => inFlight.delete(keyId));
    inFlight.set(keyId, reading);
    return reading;
  };
}

export interface KeyCacheSettings {
  readonly seconds: number;
  readonly maxEntries: number;
  /** API Gateway's authorizer result cache TTL in front of this function (the construct sets it). */
  readonly authorizerCacheSeconds: number;
  readonly revocationBoundSeconds: number;
}

/**
 * The cache's settings, read once at init; a bad value fails the cold start.
 * `LATCHKEY_KEY_CACHE_SECONDS` (0 = off, the default; at most 10), `LATCHKEY_KEY_CACHE_ENTRIES`
 * (default 10,000), and `LATCHKEY_AUTHORIZER_CACHE_SECONDS`, only to state the revocation bound.
 */
export function keyCacheSettings(
  config: Pick<
    Settings,
    'LATCHKEY_KEY_CACHE_SECONDS' | 'LATCHKEY_KEY_CACHE_ENTRIES' | 'LATCHKEY_AUTHORIZER_CACHE_SECONDS'
  >,
): KeyCacheSettings {
  const seconds = config.LATCHKEY_KEY_CACHE_SECONDS;
  const authorizerCacheSeconds = config.LATCHKEY_AUTHORIZER_CACHE_SECONDS;
  return {
    seconds,
    maxEntries: config.LATCHKEY_KEY_CACHE_ENTRIES,
    authorizerCacheSeconds,
    revocationBoundSeconds: revocationBoundSeconds(seconds, authorizerCacheSeconds),
  };
}
