import { portalKeyPath } from '#domain/portal/portal-schemas.ts';
import { updateKeyBody } from '#domain/shared/schemas.ts';
import { parseIfMatch } from '#platform/http/http-route.ts';
import { portalRoute } from '#platform/http/portal-route.ts';
import { portalKeys, portalRouteDeps } from '#platform/wiring/portal.ts';

const keys = portalKeys();

/** PATCH /portal/api/keys/{keyId} — as /v1, within the session's roles. */
export const handler = portalRoute(
  portalRouteDeps,
  { path: portalKeyPath, body: updateKeyBody },
  async ({ path, body, headers, session, ctx }) => {
    const key = await keys.update(session, path.keyId, body, parseIfMatch(headers['if-match']), ctx);
    return { status: 200, body: key, headers: { etag: `"${key.version}"` } };
  },
);
