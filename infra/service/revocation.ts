import { KEY_CACHE_LIMITS, revocationBoundSeconds } from '../../functions/config/key-cache.ts';
import type { SettingValues } from '../../functions/config/settings.ts';
import type { ApiKeyServiceProps } from './props.ts';

/**
 * The hot-key cache and the revocation bound it implies (with API Gateway's result cache), as the
 * authorizer states it at cold start: every problem, each saying what to change.
 */
export function revocationProblems(props: ApiKeyServiceProps, authorizerCacheSeconds: number): string[] {
  const problems: string[] = [];
  const cache = props.keyCacheSeconds ?? 0;
  const max = props.maxRevocationSeconds;
  if (!Number.isInteger(cache) || cache < 0 || cache > KEY_CACHE_LIMITS.maxSeconds) {
    problems.push(`keyCacheSeconds must be an integer from 0 to ${KEY_CACHE_LIMITS.maxSeconds}`);
    return problems;
  }
  if (max === undefined) return problems;
  if (!Number.isInteger(max) || max < 0) {
    problems.push('maxRevocationSeconds must be an integer of 0 or more');
    return problems;
  }
  const bound = revocationBoundSeconds(cache, authorizerCacheSeconds);
  if (bound > max) {
    problems.push(
      `revocation would take up to ${bound} s (keyCacheSeconds ${cache} + authorizerResultsCacheTtl ${authorizerCacheSeconds} s), over maxRevocationSeconds ${max}; lower one of them or raise maxRevocationSeconds`,
    );
  }
  return problems;
}

/** What the authorizer function needs to cache keys and to state its revocation bound. */
export function keyCacheEnvironment(
  props: ApiKeyServiceProps,
  authorizerCacheSeconds: number,
): SettingValues {
  const cache = props.keyCacheSeconds ?? 0;
  return {
    ...(cache > 0 ? { LATCHKEY_KEY_CACHE_SECONDS: String(cache) } : {}),
    ...(authorizerCacheSeconds > 0
      ? { LATCHKEY_AUTHORIZER_CACHE_SECONDS: String(authorizerCacheSeconds) }
      : {}),
  };
}
