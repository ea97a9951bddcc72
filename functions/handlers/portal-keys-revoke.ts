import { portalKeyPath } from '#domain/portal/portal-schemas.ts';
import { portalRoute } from '#platform/http/portal-route.ts';
import { portalKeys, portalRouteDeps } from '#platform/wiring/portal.ts';

const keys = portalKeys();

/** POST /portal/api/keys/{keyId}/revoke — immediately and for good. */
export const handler = portalRoute(
  portalRouteDeps,
  { path: portalKeyPath },
  async ({ path, session, ctx }) => ({
    status: 200,
    body: await keys.revoke(session, path.keyId, ctx),
  }),
);
