import { sweepBody } from '#domain/schemas.ts';
import { rotationSweep } from '#platform/deps.ts';
import { httpRoute } from '#platform/http.ts';

const sweep = rotationSweep();

/** POST /v1/rotation/sweep — run the sweep now, or preview it (`dryRun`) as of another time (`asOf`). */
export const handler = httpRoute({ body: sweepBody }, async ({ body, ctx }) => ({
  status: 200,
  body: await sweep.run({ asOf: body.asOf ? new Date(body.asOf) : undefined, dryRun: body.dryRun }, ctx),
}));
