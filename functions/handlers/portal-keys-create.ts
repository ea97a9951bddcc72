import { portalCreateKeyBody } from '#domain/portal/portal-schemas.ts';
import { portalRoute } from '#platform/http/portal-route.ts';
import { portalKeys, portalRouteDeps } from '#platform/wiring/portal.ts';

const keys = portalKeys();

/** POST /portal/api/keys — a key in the session's scope; the secret is in this answer only. */
export const handler = portalRoute(
  portalRouteDeps,
  { body: portalCreateKeyBody },
  async ({ body, session, ctx }) => {
    const created = await keys.create(session, body, ctx);
    return {
      status: 201,
      body: created,
      headers: { location: `/portal/api/keys/${created.key.keyId}`, etag: `"${created.key.version}"` },
    };
  },
);
