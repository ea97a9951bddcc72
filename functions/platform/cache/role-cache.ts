import type { RoleDef } from '#domain/roles/permissions.ts';

/**
 * Custom role definitions cached per instance for `ttlMs`, so a check for a key with custom
 * roles costs its one key read, plus one roles read per instance per TTL. A role change
 * therefore reaches every check within `ttlMs` (LATCHKEY_ROLE_CACHE_SECONDS, default 30).
 */
export function roleCache(
  load: (names: readonly string[]) => Promise<ReadonlyMap<string, RoleDef>>,
  ttlMs: number,
  now: () => number = Date.now,
) {
  const cache = new Map<string, { role: RoleDef | undefined; until: number }>();
  return async (names: readonly string[]): Promise<ReadonlyMap<string, RoleDef>> => {
    const t = now();
    const stale = names.filter((name) => (cache.get(name)?.until ?? 0) <= t);
    if (stale.length) {
      const loaded = await load(stale);
      for (const name of stale) cache.set(name, { role: loaded.get(name), until: t + ttlMs });
    }
    const out = new Map<string, RoleDef>();
    for (const name of names) {
      const role = cache.get(name)?.role;
      if (role) out.set(name, role);
    }
    return out;
  };
}
