import { afterEach, describe, expect, it, vi } from 'vitest';
import { emfDocuments, logOf } from '../support/lambda.ts';

/** The EMF documents the authorizer's observer writes, with metrics on (as in Lambda). */
async function emfLines(run: (observer: typeof import('#platform/observability/check-observer.ts')) => void) {
  vi.resetModules();
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_DEV', '');
  const lines = await logOf(async () => {
    const observer = await import('#platform/observability/check-observer.ts');
    const { metrics } = await import('#platform/observability/metrics.ts');
    run(observer);
    metrics.publishStoredMetrics();
  });
  return emfDocuments(lines);
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('the check observer', () => {
  it('writes one Refused metric per refusal, without the code dimension, and the per-code checks apart', async () => {
    const docs = await emfLines(({ checkObserver }) => {
      const { observe } = checkObserver();
      observe({ valid: false, code: 'MALFORMED' }, 1);
      observe({ valid: false, code: 'NOT_FOUND', keyId: 'key_x' }, 2);
    });
    const refused = docs.filter((d) => d.Refused !== undefined);
    expect(refused).toHaveLength(2);
    for (const doc of refused) {
      expect(doc.Refused).toBe(1);
      expect(doc._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
      expect(doc._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)).toEqual(['Refused']);
      expect(doc.code).toBeUndefined();
    }
    const checks = docs.filter((d) => d.Checks !== undefined);
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((d) => d._aws.CloudWatchMetrics[0].Dimensions[0].includes('code'))).toBe(true);
  });
});
