import type { Request, RequestHandler } from 'express';
import { createKeyCheck, type KeyCheckOptions, type KeyContext } from './key-check.ts';

export type { KeyCacheOptions, KeyCheckOptions, KeyContext, RefusalCode } from './key-check.ts';

declare global {
  namespace Express {
    interface Request {
      /** The verified key's context, set by `latchkey()`. */
      latchkey?: KeyContext;
    }
  }
}

/**
 * Express middleware: checks the request's key through POST /v1/verify; on success the key's
 * context is `req.latchkey`, otherwise the answer is the authorizer's (401 or 403 with
 * `{ "error": { "code", "message" } }`, 500 when the key could not be checked).
 */
export function latchkey(options: KeyCheckOptions<Request>): RequestHandler {
  const check = createKeyCheck(options);
  return (req, res, next) => {
    const request = { method: req.method, headers: req.headers, sourceIp: req.ip };
    check(request, req).then((outcome) => {
      if (!outcome.allowed) {
        res.status(outcome.status).json(outcome.body);
        return;
      }
      req.latchkey = outcome.context;
      next();
    }, next);
  };
}
