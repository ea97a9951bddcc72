import { emptyBody } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { pepperService } from '#platform/wiring/management.ts';

const peppers = pepperService();

/** POST /v1/pepper/rotate — a new current version; older ones keep verifying their keys. */
export const handler = httpRoute({ body: emptyBody }, async ({ ctx }) => ({
  status: 200,
  body: await peppers.rotate(ctx),
}));
