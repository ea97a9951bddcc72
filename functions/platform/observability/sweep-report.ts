import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type SweepResult, SweepUndoError } from '#domain/rotation/rotation-sweep.ts';
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

/** A sweep's counts, as `Sweep<Count>` metrics and one log line; a run with unpublished events fails. */
export function reportSweep(result: SweepResult) {
  const counts = {
    flagged: result.flagged.length,
    reminded: result.reminded.length,
    expiringSoon: result.expiringSoon.length,
    unused: result.unused.length,
    disabledUnused: result.disabledUnused.length,
    reconciled: result.reconciled.length,
    unusual: result.unusual.length,
    failed: result.failed,
    pages: result.reads.pages,
    itemsRead: result.reads.items,
  };
  for (const [name, value] of Object.entries(counts))
    metrics.addMetric(`Sweep${name[0]?.toUpperCase()}${name.slice(1)}`, MetricUnit.Count, value);
  logger.info('rotation sweep done', { ...counts, flaggedKeys: result.flagged.map((e) => e.keyId) });
  if (result.failed > 0) throw new Error(`rotation sweep: ${result.failed} events could not be published`);
  return counts;
}
