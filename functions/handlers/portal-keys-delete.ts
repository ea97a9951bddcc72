import { portalKeyPath } from '#domain/portal/portal-schemas.ts';
import { portalRoute } from '#platform/http/portal-route.ts';
import { portalKeys, portalRouteDeps } from '#platform/wiring/portal.ts';

const keys = portalKeys();

/** DELETE /portal/api/keys/{keyId} — removes the key (revoking it first). */
export const handler = portalRoute(
  portalRouteDeps,
  { path: portalKeyPath },
  async ({ path, session, ctx }) => {
    await keys.delete(session, path.keyId, ctx);
    return { status: 204 };
  },
);
