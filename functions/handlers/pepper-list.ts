import { pepperService } from '#platform/deps.ts';
import { httpRoute } from '#platform/http.ts';

const peppers = pepperService();

/** GET /v1/pepper — the pepper versions (never the peppers), with how many live keys use each. */
export const handler = httpRoute({}, async () => ({ status: 200, body: await peppers.list() }));
