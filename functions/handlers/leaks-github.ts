import { githubLeakReport } from '#domain/leak/leak-schemas.ts';
import { GITHUB_SCANNING_ACTOR } from '#domain/leak/leak-service.ts';
import { httpRoute, rawBody } from '#platform/http/http-route.ts';
import {
  checkSignature,
  githubFeedback,
  LEAK_REPORT_MAX_BYTES,
  parseJsonBody,
  recordLeaks,
} from '#platform/http/leak-http.ts';
import { leakService, signingKeySource } from '#platform/wiring/leak.ts';

const leaks = leakService();
const keys = signingKeySource();

/**
 * POST /v1/leaks/github — GitHub's secret scanning partner endpoint. Public: the ECDSA signature
 * over the raw body is the only authentication, checked before the body is read.
 */
export const handler = httpRoute(
  {},
  async ({ event, headers, ctx }) => {
    const body = rawBody(event);
    await checkSignature(body, headers, keys);
    const matches = parseJsonBody(githubLeakReport, body);
    const outcomes = await leaks.report(matches, { ...ctx, actor: GITHUB_SCANNING_ACTOR });
    recordLeaks(outcomes, GITHUB_SCANNING_ACTOR);
    return { status: 200, body: githubFeedback(matches, outcomes) };
  },
  { anonymous: true, maxBodyBytes: LEAK_REPORT_MAX_BYTES },
);
