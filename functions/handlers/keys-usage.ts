import { now } from '#config/clock.ts';
import { keyPath, usageQuery } from '#domain/shared/schemas.ts';
import { usageSeries, usageWindow } from '#domain/usage/usage-window.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { keyService, usageStore } from '#platform/wiring/management.ts';

const keys = keyService();
const usage = usageStore();

/** GET /v1/keys/{keyId}/usage?days=30 — requests per UTC day, allowed and refused, oldest first. */
export const handler = httpRoute({ path: keyPath, query: usageQuery }, async ({ path, query }) => {
  const key = await keys.get(path.keyId);
  const window = usageWindow(query.days, now());
  const series = usageSeries(window, await usage.days(key.keyId, window[0] as string));
  return { status: 200, body: { keyId: key.keyId, lastUsedAt: key.lastUsedAt, ...series } };
});
