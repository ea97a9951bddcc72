import { parse as parseCookies, serialize } from 'cookie';
import type { z } from 'zod';
import { portalActor } from '#domain/portal/portal-grant.ts';
import {
  PORTAL_COOKIE,
  type PortalSessionService,
  type StoredPortalSession,
} from '#domain/portal/portal-sessions.ts';
import { ApiError } from '#domain/shared/errors.ts';
import { type HttpRequest, type HttpResult, httpRoute } from './http-route.ts';

/**
 * The portal's session cookie. Over https it is `__Host-` prefixed and `Secure` (bound to this
 * exact origin, path `/`); locally, over http, it cannot be. Always `HttpOnly` and
 * `SameSite=Strict`: no script reads it and no other site's request carries it.
 */
export function portalCookie(portalUrl: string) {
  const secure = new URL(portalUrl).protocol === 'https:';
  const name = secure ? PORTAL_COOKIE.secure : PORTAL_COOKIE.plain;
  const attributes = { httpOnly: true, sameSite: 'strict', path: '/', secure } as const;
  return {
    name,
    read: (header: string | undefined) => (header ? parseCookies(header)[name] : undefined),
    set: (token: string, maxAgeSeconds: number) =>
      serialize(name, token, { ...attributes, maxAge: Math.max(0, Math.floor(maxAgeSeconds)) }),
    clear: () => serialize(name, '', { ...attributes, maxAge: 0 }),
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface PortalRouteDeps {
  readonly sessions: PortalSessionService;
  /** The portal's origin: the only one whose pages may change anything. */
  readonly portalUrl: string;
}

interface Schemas<B, Q, P> {
  readonly body?: z.ZodType<B, unknown>;
  readonly query?: z.ZodType<Q, unknown>;
  readonly path?: z.ZodType<P, unknown>;
}

/**
 * A route of the portal API: the management stack (validation, errors, logging) with the session
 * cookie instead of IAM. A change from any origin but the portal's own is refused before anything
 * is read; a missing, forged, ended or expired session is a 401. The actor is `portal:<subject>`.
 */
export function portalRoute<B = undefined, Q = undefined, P = undefined>(
  deps: () => PortalRouteDeps,
  schemas: Schemas<B, Q, P>,
  fn: (request: HttpRequest<B, Q, P> & { session: StoredPortalSession }) => Promise<HttpResult>,
) {
  const { sessions, portalUrl } = deps();
  const origin = new URL(portalUrl).origin;
  const cookie = portalCookie(portalUrl);
  return httpRoute<B, Q, P, { session: StoredPortalSession }>(schemas, fn, {
    identify: async (event, requestId) => {
      if (!SAFE_METHODS.has(event.httpMethod.toUpperCase()) && event.headers.origin !== origin) {
        throw new ApiError(
          'FORBIDDEN',
          `a change to the portal must come from the portal's own page (${origin}); this request's origin is ${event.headers.origin ?? 'not given'}`,
        );
      }
      const session = await sessions.authenticate(cookie.read(event.headers.cookie));
      if (!session)
        throw new ApiError(
          'UNAUTHORIZED',
          'this portal session has ended or was never opened: go back and open a new link',
        );
      return {
        session,
        ctx: {
          actor: portalActor(session.subject),
          requestId,
          auditContext: { portalSession: session.sessionId },
        },
      };
    },
  });
}
