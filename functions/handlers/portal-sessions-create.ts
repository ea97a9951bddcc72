import { createPortalSessionBody } from '#domain/portal/portal-schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { portalSessions } from '#platform/wiring/portal.ts';

const sessions = portalSessions();

/**
 * POST /v1/portal/sessions — an operator (the team's backend) asks for a one-time portal link for
 * one of its users. The link's code is in this answer only; the service keeps its hash.
 */
export const handler = httpRoute({ body: createPortalSessionBody }, async ({ body, ctx }) => ({
  status: 201,
  body: await sessions.create(body, ctx),
  headers: { 'cache-control': 'no-store' },
}));
