import { portalKeyPath } from '#domain/portal/portal-schemas.ts';
import { rotateBody } from '#domain/shared/schemas.ts';
import { portalRoute } from '#platform/http/portal-route.ts';
import { portalKeys, portalRouteDeps } from '#platform/wiring/portal.ts';

const keys = portalKeys();

/** POST /portal/api/keys/{keyId}/rotate — `{ gracePeriodSeconds }`; needs api.key.create and api.key.delete. */
export const handler = portalRoute(
  portalRouteDeps,
  { path: portalKeyPath, body: rotateBody },
  async ({ path, body, session, ctx }) => {
    const rotated = await keys.rotate(session, path.keyId, body.gracePeriodSeconds, ctx);
    return { status: 201, body: rotated, headers: { location: `/portal/api/keys/${rotated.key.keyId}` } };
  },
);
