import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SweepUndoError } from '#domain/rotation/rotation-sweep.ts';
import { logger } from './logger.ts';
import { metrics } from './metrics.ts';

/**
 * Runs a sweep; a change it could not undo is logged, counted (`SweepUndoFailed`) and fails the
 * run, so the schedule's retries, its failure queue and the sweep alarm see it.
 */
export async function reportingUndoFailures<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SweepUndoError) {
      metrics.addMetric('SweepUndoFailed', MetricUnit.Count, error.keyIds.length);
      logger.error('rotation sweep: changes could not be undone after their events failed; failing the run', {
        keyIds: error.keyIds,
        errorNames: error.causes.map((cause) => (cause as Error)?.name ?? 'Error'),
      });
    }
    throw error;
  }
}
