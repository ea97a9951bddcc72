import { pepperVersionPath } from '#domain/pepper-rotation.ts';
import { emptyBody } from '#domain/schemas.ts';
import { pepperService } from '#platform/deps.ts';
import { httpRoute } from '#platform/http.ts';

const peppers = pepperService();

/** POST /v1/pepper/versions/{version}/retire — 409 naming the live keys that still use it. */
export const handler = httpRoute({ body: emptyBody, path: pepperVersionPath }, async ({ path, ctx }) => ({
  status: 200,
  body: await peppers.retire(path.version, ctx),
}));
