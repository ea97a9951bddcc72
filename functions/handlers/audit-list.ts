import { auditQuery } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { auditStore } from '#platform/wiring/management.ts';

const audit = auditStore();

/** GET /v1/audit — who did what, when; newest first; by keyId, actor and action. */
export const handler = httpRoute({ query: auditQuery }, async ({ query }) => {
  const { limit, cursor, ...filter } = query;
  return { status: 200, body: await audit.query(filter, limit, cursor) };
});
