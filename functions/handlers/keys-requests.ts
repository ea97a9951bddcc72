import { keyPath } from '#domain/shared/schemas.ts';
import { requestsCsv, requestsQuery } from '#domain/usage/requests-api.ts';
import { csvResult, type HttpResult, httpRoute, wantsCsv } from '#platform/http/http-route.ts';
import { keyService, requestLog } from '#platform/wiring/management.ts';

const keys = keyService();
const requests = requestLog();

/**
 * GET /v1/keys/{keyId}/requests?limit=&cursor=&format= — the key's most recent requests, newest
 * first (`requestsPageSchema` in domain/usage/requests-api.ts); `format=csv` (or `Accept: text/csv`)
 * answers the same page as CSV, formula-safe as the compliance report's.
 */
export const handler = httpRoute(
  { path: keyPath, query: requestsQuery },
  async ({ path, query, headers }): Promise<HttpResult> => {
    const key = await keys.get(path.keyId);
    const page = await requests.page(key.keyId, query.limit, query.cursor);
    if (!wantsCsv(query.format, headers))
      return { status: 200, body: { keyId: key.keyId, ...page }, headers: { vary: 'Accept' } };
    return csvResult(
      requestsCsv(page.items),
      `latchkey-requests-${key.keyId}.csv`,
      page.nextCursor ? { 'latchkey-next-cursor': page.nextCursor } : {},
    );
  },
);
