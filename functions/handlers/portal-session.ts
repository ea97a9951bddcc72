import { PortalSessionService } from '#domain/portal/portal-sessions.ts';
import { portalRoute } from '#platform/http/portal-route.ts';
import { portalRouteDeps } from '#platform/wiring/portal.ts';

/** GET /portal/api/session — who the page is for and what it may do: subject, scope, permissions, branding. */
export const handler = portalRoute(portalRouteDeps, {}, async ({ session }) => ({
  status: 200,
  body: PortalSessionService.view(session),
}));
