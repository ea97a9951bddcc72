import type { LoggedCheck } from './usage-window.ts';

/**
 * The verification log (the construct's `verificationLog: { s3: true }`): every check's record,
 * as Parquet in S3 through Amazon Data Firehose, one row per check. These columns are the Glue
 * table's schema (infra) and the JSON each record carries (usage-ingest): one definition, so the
 * two cannot drift. The table is partitioned by `day`, the UTC day Firehose delivered the record
 * (a check near midnight may land in the next day; `at` is the check's own time).
 */
export const VERIFICATION_LOG_COLUMNS = [
  { name: 'at', type: 'timestamp', comment: 'when the check was made (UTC)' },
  { name: 'key_id', type: 'string', comment: 'the key the secret named; null when it named none' },
  { name: 'outcome', type: 'string', comment: 'ALLOWED, or the refusal code' },
  { name: 'method', type: 'string', comment: 'the request method' },
  {
    name: 'path',
    type: 'string',
    comment: "the route's resource path (the request's path where the API names none)",
  },
  { name: 'source_ip', type: 'string', comment: "the caller's address" },
  { name: 'user_agent', type: 'string', comment: 'the User-Agent, cut to 128 bytes' },
  { name: 'latency_ms', type: 'double', comment: "the check's own time" },
  { name: 'region', type: 'string', comment: 'the Region of the API the check guarded' },
  { name: 'counted', type: 'boolean', comment: 'counted against the key (its secret was proven)' },
] as const;

export type VerificationLogRecord = Record<(typeof VERIFICATION_LOG_COLUMNS)[number]['name'], unknown>;

/** One check as a row of the verification log. */
export function verificationRecord({ check, counted }: LoggedCheck): VerificationLogRecord {
  return {
    at: check.at,
    key_id: check.keyId,
    outcome: check.outcome,
    method: check.method,
    path: check.path,
    source_ip: check.sourceIp,
    user_agent: check.userAgent,
    latency_ms: check.latencyMs,
    region: check.region,
    counted,
  };
}

/**
 * Records packed for Firehose: JSON documents side by side (`{…}{…}`, which record format
 * conversion reads as one row each) up to `maxBytes` per Firehose record, because Firehose bills
 * ingestion per record rounded up to 5 KB: one check per record would bill about 20 times its size.
 */
export function packRecords(records: readonly VerificationLogRecord[], maxBytes = 64 * 1024): string[] {
  const packed: string[] = [];
  let current = '';
  let size = 0;
  for (const record of records) {
    const json = JSON.stringify(record);
    const bytes = Buffer.byteLength(json);
    if (size > 0 && size + bytes > maxBytes) {
      packed.push(current);
      current = '';
      size = 0;
    }
    current += json;
    size += bytes;
  }
  if (size > 0) packed.push(current);
  return packed;
}
