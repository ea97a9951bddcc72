import { listKeysQuery } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { keyService } from '#platform/wiring/management.ts';

const keys = keyService();

/** GET /v1/keys — filtered, paginated; never reads the whole table. */
export const handler = httpRoute({ query: listKeysQuery }, async ({ query }) => ({
  status: 200,
  body: await keys.list(query),
}));
