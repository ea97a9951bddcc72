import { keyPath } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { quotaService } from '#platform/wiring/management.ts';

const quota = quotaService();

/** GET /v1/keys/{keyId}/quota — the key's plan and its quota used this period. */
export const handler = httpRoute({ path: keyPath }, async ({ path }) => ({
  status: 200,
  body: await quota.quota(path.keyId),
}));
