import { listKeysQuery } from '#domain/schemas.ts';
import { keyService } from '#platform/deps.ts';
import { httpRoute } from '#platform/http.ts';

const keys = keyService();

/** GET /v1/keys — filtered, paginated; never reads the whole table. */
export const handler = httpRoute({ query: listKeysQuery }, async ({ query }) => ({
  status: 200,
  body: await keys.list(query),
}));
