import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** A condition of item `index` in the transaction did not hold. */
export class ConditionFailed extends Error {
  constructor(readonly index: number) {
    super(`transaction condition ${index} failed`);
    this.name = 'ConditionFailed';
  }
}

/** A single write's condition did not hold (DynamoDB's ConditionalCheckFailedException). */
export const isConditionFailure = (error: unknown): boolean =>
  (error as Error)?.name === 'ConditionalCheckFailedException';

/**
 * Runs a DynamoDB transaction. Only DynamoDB's own transaction conflicts (another transaction on
 * the same items) are retried, with jittered backoff; a failed condition is reported by index.
 */
export async function runTransaction(doc: DynamoDBDocumentClient, items: TransactItems): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (failed >= 0) throw new ConditionFailed(failed);
      if (!reasons.some((r) => r.Code === 'TransactionConflict') || attempt >= 8) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** Math.min(attempt, 5)));
    }
  }
}
