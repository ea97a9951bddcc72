import { openApiDocument } from '#contract/openapi.ts';
import { httpRoute } from '#platform/http/http-route.ts';

const document = openApiDocument();

/**
 * GET /v1/openapi.json — the API's OpenAPI document, made from the route tables and the schemas
 * the handlers validate with. Public: it is the same for everyone and holds no data.
 */
export const handler = httpRoute(
  {},
  async () => ({ status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } }),
  { anonymous: true },
);
