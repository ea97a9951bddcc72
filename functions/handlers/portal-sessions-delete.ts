import { portalSessionPath } from '#domain/portal/portal-schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { portalSessions } from '#platform/wiring/portal.ts';

const sessions = portalSessions();

/** DELETE /v1/portal/sessions/{sessionId} — the session ends at once: its next request is a 401. */
export const handler = httpRoute({ path: portalSessionPath }, async ({ path, ctx }) => {
  await sessions.end(path.sessionId, ctx);
  return { status: 204 };
});
