import { portalListQuery } from '#domain/portal/portal-schemas.ts';
import { portalRoute } from '#platform/http/portal-route.ts';
import { portalKeys, portalRouteDeps } from '#platform/wiring/portal.ts';

const keys = portalKeys();

/** GET /portal/api/keys — the keys of the session's scope it may see, newest first. */
export const handler = portalRoute(
  portalRouteDeps,
  { query: portalListQuery },
  async ({ query, session }) => ({
    status: 200,
    body: await keys.list(session, query),
  }),
);
