import type { Context, MiddlewareHandler } from 'hono';
import { createKeyCheck, type KeyCheckOptions, type KeyContext } from './key-check.ts';

export type { KeyCacheOptions, KeyCheckOptions, KeyContext, RefusalCode } from './key-check.ts';

/** The variables the middleware sets: `c.get('latchkey')`. */
export interface LatchkeyEnv {
  Variables: { latchkey: KeyContext };
}

/** On Node (@hono/node-server) the socket's address; other runtimes give `sourceIp` (hono/conninfo). */
const nodeAddress = (c: Context) =>
  (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
    ?.remoteAddress;

/**
 * Hono middleware: checks the request's key through POST /v1/verify; on success the key's context
 * is `c.get('latchkey')`, otherwise the answer is the authorizer's (401 or 403 with
 * `{ "error": { "code", "message" } }`, 500 when the key could not be checked).
 */
export function latchkey(options: KeyCheckOptions<Context>): MiddlewareHandler<LatchkeyEnv> {
  const check = createKeyCheck(options);
  return async (c, next) => {
    const outcome = await check(
      { method: c.req.method, headers: c.req.header(), sourceIp: nodeAddress(c) },
      c,
    );
    if (!outcome.allowed) return c.json(outcome.body, outcome.status);
    c.set('latchkey', outcome.context);
    await next();
  };
}
