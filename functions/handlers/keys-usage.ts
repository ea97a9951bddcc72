import { now } from '#config/clock.ts';
import { keyPath, usageQuery } from '#domain/shared/schemas.ts';
import { keyUsageAnswer } from '#domain/usage/key-usage.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { keyService, usageStore } from '#platform/wiring/management.ts';

const keys = keyService();
const usage = usageStore();

/**
 * GET /v1/keys/{keyId}/usage?days=30 — per UTC day (oldest first) and over the window: checks
 * allowed and refused, refusals by code, latency p50 and p99, the top routes and source addresses
 * (domain/usage/usage-answers.ts, `keyUsageSchema`).
 */
export const handler = httpRoute({ path: keyPath, query: usageQuery }, async ({ path, query }) => {
  const key = await keys.get(path.keyId);
  return { status: 200, body: await keyUsageAnswer(key, query.days, usage, now()) };
});
