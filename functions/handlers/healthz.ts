import { httpRoute } from '#platform/http.ts';

/** GET /healthz — readiness, no auth. */
export const handler = httpRoute({}, async () => ({ status: 200, body: { status: 'ok' } }), {
  anonymous: true,
});
