import { bulkBody } from '#domain/bulk/bulk-schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { bulkService } from '#platform/wiring/bulk.ts';

const bulk = bulkService();

/**
 * POST /v1/keys/bulk — the kill switch: a dry run counts the keys a filter matches and issues a
 * confirm token; a run with that token revokes or disables each of them, carrying on across calls.
 */
export const handler = httpRoute({ body: bulkBody }, async ({ body, ctx }) => ({
  status: 200,
  body: await bulk.handle(body, ctx),
}));
