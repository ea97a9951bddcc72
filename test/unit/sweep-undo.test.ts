import {
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { storedKey } from '../support/fixtures.ts';
import { context, logOf, scheduledEvent, useLambdaEnv } from '../support/lambda.ts';

// Metrics on, as in AWS, so the run's EMF line can be read.
useLambdaEnv({ POWERTOOLS_METRICS_DISABLED: 'false' });
const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => {
  ddb.reset();
  vi.restoreAllMocks();
});

let handler: typeof import('#handlers/sweep-scheduled.ts')['handler'];
beforeAll(async () => {
  handler = (await import('#handlers/sweep-scheduled.ts')).handler;
});

function fault(name: string) {
  return Object.assign(new Error(name), { name });
}

describe('the scheduled sweep, when an undo cannot land', () => {
  it('logs it, counts it in SweepUndoFailed and fails the run so it is retried', async () => {
    const { record } = storedKey(parsePepperSet(JSON.stringify({ version: '1', pepper: 'u'.repeat(40) })), {
      rotationDueAt: '2026-01-02T00:00:00.000Z',
    });
    ddb.on(QueryCommand).resolves({ Items: [], ScannedCount: 0 });
    ddb.on(QueryCommand, { IndexName: 'rotationSweep' }).resolves({ Items: [record], ScannedCount: 1 });
    // The flag lands, the event cannot be published, and neither can the undo.
    ddb.on(TransactWriteCommand).resolvesOnce({}).rejects(fault('ProvisionedThroughputExceededException'));
    ddb.on(PutCommand).rejects(fault('InternalServerError'));

    const { logger } = await import('#platform/observability/logger.ts');
    logger.setLogLevel('ERROR');
    let outcome = '';
    const lines = await logOf(
      async () => {
        outcome = await handler(scheduledEvent(), context()).then(
          () => 'resolved',
          (error: Error) => error.name,
        );
      },
      { stderr: true },
    );
    logger.setLogLevel('SILENT');

    expect(outcome).toBe('SweepUndoError');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
    const logged = lines.find((l) => l.includes('could not be undone'));
    expect(JSON.parse(logged as string)).toMatchObject({
      level: 'ERROR',
      keyIds: [record.keyId],
      errorNames: ['ProvisionedThroughputExceededException'],
    });
    const emf = lines.map((l) => JSON.parse(l)).find((l) => l._aws && 'SweepUndoFailed' in l);
    expect(emf?.SweepUndoFailed).toBe(1);
  });
});
