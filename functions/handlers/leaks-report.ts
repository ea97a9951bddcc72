import { leakReportBody } from '#domain/leak/leak-schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { recordLeaks } from '#platform/http/leak-http.ts';
import { leakService } from '#platform/wiring/leak.ts';

const leaks = leakService();

/**
 * POST /v1/leaks — an operator reports a secret found by hand: the same check and action as a
 * GitHub report, with the caller as the actor. The answer never holds the secret.
 */
export const handler = httpRoute({ body: leakReportBody }, async ({ body, ctx }) => {
  const [outcome] = await leaks.report(
    [{ token: body.secret, url: body.url ?? '', source: 'operator' }],
    ctx,
    body.action,
  );
  if (!outcome) throw new Error('leak report: no outcome');
  recordLeaks([outcome], ctx.actor);
  // GitHub's feedback needs the token's SHA-256; an operator's answer carries no form of the secret.
  const { tokenHash: _, ...answer } = outcome;
  return { status: 200, body: answer };
});
