import { pepperVersionPath } from '#domain/pepper/pepper-service.ts';
import { emptyBody } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { pepperService } from '#platform/wiring/management.ts';

const peppers = pepperService();

/** POST /v1/pepper/versions/{version}/retire — 409 naming the live keys that still use it. */
export const handler = httpRoute({ body: emptyBody, path: pepperVersionPath }, async ({ path, ctx }) => ({
  status: 200,
  body: await peppers.retire(path.version, ctx),
}));
