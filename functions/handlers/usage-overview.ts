import { usageOverviewQuery } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { usageOverview } from '#platform/wiring/management.ts';

const overview = usageOverview();

/**
 * GET /v1/usage?days=30&limit=&cursor=&unusual= — every key with traffic in the window, most
 * active first, with per-day series, the window's totals and the unusual-activity flag.
 */
export const handler = httpRoute({ query: usageOverviewQuery }, async ({ query }) => ({
  status: 200,
  body: await overview.page(query),
}));
