import { now } from '#config/clock.ts';
import { enterQuery } from '#domain/portal/portal-schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { linkRefusedPage } from '#platform/http/portal-pages.ts';
import { portalCookie } from '#platform/http/portal-route.ts';
import { portalSessions, portalUrl } from '#platform/wiring/portal.ts';

const sessions = portalSessions();
const cookie = portalCookie(portalUrl());

/**
 * GET /portal/enter?code=… — opening a portal link: its one-time code becomes the session cookie
 * and the browser goes on to the portal. A used, expired or unknown link is a 401 page saying so.
 */
export const handler = httpRoute(
  { query: enterQuery },
  async ({ query, ctx }) => {
    const entered = query.code ? await sessions.enter(query.code, ctx.requestId) : undefined;
    if (!entered) return linkRefusedPage();
    const seconds = (Date.parse(entered.session.expiresAt) - now().getTime()) / 1000;
    return {
      status: 303,
      headers: {
        location: '/portal',
        'set-cookie': cookie.set(entered.token, seconds),
        'cache-control': 'no-store',
      },
    };
  },
  { anonymous: true },
);
