import { portalKeyPath } from '#domain/portal/portal-schemas.ts';
import { portalRoute } from '#platform/http/portal-route.ts';
import { portalKeys, portalRouteDeps } from '#platform/wiring/portal.ts';

const keys = portalKeys();

/** GET /portal/api/keys/{keyId} — a key of the session's scope; any other is a 404. */
export const handler = portalRoute(portalRouteDeps, { path: portalKeyPath }, async ({ path, session }) => {
  const key = await keys.get(session, path.keyId);
  return { status: 200, body: key, headers: { etag: `"${key.version}"` } };
});
