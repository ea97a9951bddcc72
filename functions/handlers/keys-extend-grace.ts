import { extendGraceBody } from '#domain/rotation/grace-watch.ts';
import { keyPath } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { graceWatch } from '#platform/wiring/grace.ts';

const grace = graceWatch();

/** POST /v1/keys/{keyId}/extend-grace — lengthens a rotation's grace (≤ 7 days a call, ≤ 30 days in all). */
export const handler = httpRoute({ body: extendGraceBody, path: keyPath }, async ({ body, path, ctx }) => ({
  status: 200,
  body: await grace.extend(path.keyId, body.seconds, ctx),
}));
