import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ReportBatch, ReportQueue } from '#domain/leak/public-report.ts';

/** Candidates per invocation: well under Lambda's 256 KB for an asynchronous event, at any pepper count. */
const PER_INVOKE = 200;

/**
 * AWS: the check runs in its own function, invoked asynchronously (Lambda queues the event,
 * retries it twice, and sends what still fails to the failure queue), so the answer never waits
 * on it. At least one invocation per report, so every answer costs the same call.
 */
export class LambdaReportQueue implements ReportQueue {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async submit(batch: ReportBatch): Promise<void> {
    const chunks: ReportBatch[] = [];
    for (let i = 0; i === 0 || i < batch.candidates.length; i += PER_INVOKE)
      chunks.push({ ...batch, candidates: batch.candidates.slice(i, i + PER_INVOKE) });
    await Promise.all(
      chunks.map((chunk) =>
        this.client.send(
          new InvokeCommand({
            FunctionName: this.functionName,
            InvocationType: 'Event',
            Payload: Buffer.from(JSON.stringify(chunk)),
          }),
        ),
      ),
    );
  }
}

/**
 * Locally: the check runs in this process after the answer. `settled()` waits for every check
 * handed over so far (the local server's stop, and tests).
 */
export class InProcessReportQueue implements ReportQueue {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly check: (batch: ReportBatch) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  async submit(batch: ReportBatch): Promise<void> {
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.check(batch))
      .catch(this.onError)
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}

export const lambdaClient = () => new LambdaClient({});
