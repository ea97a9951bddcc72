import { settings } from '#config/settings.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { readiness } from '#platform/observability/readiness.ts';
import { keyStore } from '#platform/wiring/management.ts';

const store = keyStore();
// Public in AWS: whatever a caller's rate, an instance reads the table at most once per this long.
const ready = readiness(() => store.ping(), settings().LATCHKEY_HEALTH_CACHE_SECONDS * 1000);

/** GET /healthz — readiness, no auth: 200 when the keys table answers, 503 when it does not. */
export const handler = httpRoute(
  {},
  async () =>
    (await ready())
      ? { status: 200, body: { status: 'ok', database: 'ok' } }
      : {
          status: 503,
          body: { status: 'unavailable', database: 'unreachable' },
          headers: { 'retry-after': '5' },
        },
  { anonymous: true },
);
