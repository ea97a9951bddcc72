/** The hot-key cache's bounds: the settings schema holds its settings to them, and so does the construct. */
export const KEY_CACHE_LIMITS = { maxSeconds: 10, defaultEntries: 10_000, maxEntries: 100_000 } as const;

/** How long a revocation can take to reach every check: the key cache, then API Gateway's result cache. */
export const revocationBoundSeconds = (keyCacheSeconds: number, authorizerCacheSeconds: number) =>
  keyCacheSeconds + authorizerCacheSeconds;
