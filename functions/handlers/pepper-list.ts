import { httpRoute } from '#platform/http/http-route.ts';
import { pepperService } from '#platform/wiring/management.ts';

const peppers = pepperService();

/** GET /v1/pepper — the pepper versions (never the peppers), with how many live keys use each. */
export const handler = httpRoute({}, async () => ({ status: 200, body: await peppers.list() }));
