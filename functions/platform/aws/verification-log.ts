import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { settings } from '#config/settings.ts';
import { packRecords, type VerificationLogRecord } from '#domain/usage/verification-log.ts';

/** PutRecordBatch's limits: 500 records and 4 MiB a call. */
const CALL_RECORDS = 500;
const CALL_BYTES = 4 * 1024 * 1024;
const ATTEMPTS = 3;

/** Where every check's record goes when the verification log is on (LATCHKEY_VERIFICATION_STREAM). */
export interface VerificationLog {
  send(records: readonly VerificationLogRecord[]): Promise<void>;
}

/**
 * Amazon Data Firehose: records packed (domain/usage/verification-log.ts), sent in calls within
 * PutRecordBatch's limits; records Firehose refused are sent again, and still refused after
 * ATTEMPTS tries fail the send (usage-ingest's batch is then retried: at least once, never lost).
 */
export class FirehoseVerificationLog implements VerificationLog {
  constructor(
    private readonly client: FirehoseClient,
    private readonly stream: string,
  ) {}

  async send(records: readonly VerificationLogRecord[]): Promise<void> {
    const packed = packRecords(records).map((data) => Buffer.from(data));
    let call: Buffer[] = [];
    let bytes = 0;
    for (const record of packed) {
      if (call.length === CALL_RECORDS || (call.length > 0 && bytes + record.length > CALL_BYTES)) {
        await this.put(call);
        call = [];
        bytes = 0;
      }
      call.push(record);
      bytes += record.length;
    }
    if (call.length > 0) await this.put(call);
  }

  private async put(records: Buffer[]): Promise<void> {
    let left = records;
    for (let attempt = 1; left.length > 0; attempt++) {
      const out = await this.client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: this.stream,
          Records: left.map((Data) => ({ Data })),
        }),
      );
      if (!out.FailedPutCount) return;
      const failed = left.filter((_, i) => out.RequestResponses?.[i]?.ErrorCode);
      if (attempt >= ATTEMPTS) {
        const codes = [...new Set((out.RequestResponses ?? []).map((r) => r.ErrorCode).filter(Boolean))];
        throw new Error(
          `Firehose refused ${failed.length} of ${records.length} records: ${codes.join(', ')}`,
        );
      }
      left = failed;
    }
  }
}

/** The verification log, when the construct turned it on; otherwise none. */
export function verificationLog(): VerificationLog | undefined {
  const stream = settings().LATCHKEY_VERIFICATION_STREAM;
  return stream ? new FirehoseVerificationLog(new FirehoseClient({}), stream) : undefined;
}
