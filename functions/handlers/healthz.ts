import { httpRoute } from '#platform/http/http-route.ts';
import { logger } from '#platform/observability/logger.ts';
import { keyStore } from '#platform/wiring/management.ts';

const store = keyStore();

/** GET /healthz — readiness, no auth: 200 when the keys table answers, 503 when it does not. */
export const handler = httpRoute(
  {},
  async () => {
    try {
      await store.ping();
      return { status: 200, body: { status: 'ok', database: 'ok' } };
    } catch (error) {
      logger.error('healthz: the database does not answer', { errorName: (error as Error)?.name });
      return {
        status: 503,
        body: { status: 'unavailable', database: 'unreachable' },
        headers: { 'retry-after': '5' },
      };
    }
  },
  { anonymous: true },
);
