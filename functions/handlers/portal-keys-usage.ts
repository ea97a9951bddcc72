import { portalKeyPath } from '#domain/portal/portal-schemas.ts';
import { usageQuery } from '#domain/shared/schemas.ts';
import { portalRoute } from '#platform/http/portal-route.ts';
import { portalKeys, portalRouteDeps } from '#platform/wiring/portal.ts';

const keys = portalKeys();

/** GET /portal/api/keys/{keyId}/usage?days=30 — requests per UTC day, allowed and refused. */
export const handler = portalRoute(
  portalRouteDeps,
  { path: portalKeyPath, query: usageQuery },
  async ({ path, query, session }) => ({
    status: 200,
    body: await keys.usage(session, path.keyId, query.days),
  }),
);
