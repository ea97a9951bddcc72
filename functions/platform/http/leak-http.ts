import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { z } from 'zod';
import type { GitHubFeedback } from '#domain/leak/leak-schemas.ts';
import type { LeakMatch, LeakOutcome } from '#domain/leak/leak-service.ts';
import { ApiError } from '#domain/shared/errors.ts';
import { logger } from '#platform/observability/logger.ts';
import { metrics } from '#platform/observability/metrics.ts';
import { type SigningKeySource, SigningKeysUnavailable, verifyGitHubSignature } from './github-keys.ts';
import { fieldIssues } from './http-route.ts';

/** A leak report's body may hold many matches: larger than the management API's 16 KiB. */
export const LEAK_REPORT_MAX_BYTES = 256 * 1024;

/** The signature check, with "the keys cannot be fetched" as a 503: nothing is let through. */
export async function checkSignature(
  body: Buffer,
  headers: Record<string, string | undefined>,
  keys: SigningKeySource,
): Promise<void> {
  try {
    await verifyGitHubSignature(body, headers, keys);
  } catch (error) {
    if (error instanceof SigningKeysUnavailable)
      throw new ApiError('SERVICE_UNAVAILABLE', 'the signing keys cannot be fetched now; try again later');
    if (error instanceof ApiError) logger.warn('leak report refused', { reason: error.message });
    throw error;
  }
}

/** The signed body as JSON, checked against `schema`: 400 naming every bad field. */
export function parseJsonBody<T>(schema: z.ZodType<T, unknown>, body: Buffer): T {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError('BAD_REQUEST', 'request body is not valid JSON');
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = fieldIssues(result.error);
  throw new ApiError('VALIDATION_FAILED', 'invalid report', details);
}

/** GitHub's feedback format: the token's SHA-256, never the token, and its label. */
export const githubFeedback = (
  matches: readonly LeakMatch[],
  outcomes: readonly LeakOutcome[],
): GitHubFeedback =>
  outcomes.map((outcome, i) => ({
    token_hash: outcome.tokenHash,
    token_type: matches[i]?.type ?? '',
    label: outcome.label,
  }));

/** One `LeaksFound` count per true positive (the leak alarm's metric), and a log line per key. */
export function recordLeaks(outcomes: readonly LeakOutcome[], reporter: string): void {
  const found = outcomes.filter((o) => o.label === 'true_positive');
  for (const o of found)
    logger.warn('leaked key reported', {
      keyId: o.key.keyId,
      action: o.action,
      changed: o.changed,
      reporter,
    });
  metrics.addMetric('LeaksFound', MetricUnit.Count, found.length);
  metrics.publishStoredMetrics();
}
