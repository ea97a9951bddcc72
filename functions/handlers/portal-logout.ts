import { portalCookie, portalRoute } from '#platform/http/portal-route.ts';
import { portalRouteDeps, portalSessions, portalUrl } from '#platform/wiring/portal.ts';

const sessions = portalSessions();
const cookie = portalCookie(portalUrl());

/** POST /portal/api/logout — the session ends and the cookie goes with it. */
export const handler = portalRoute(portalRouteDeps, {}, async ({ session, ctx }) => {
  await sessions.logout(session, ctx);
  return { status: 204, headers: { 'set-cookie': cookie.clear() } };
});
