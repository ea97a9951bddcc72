import { gunzipSync } from 'node:zlib';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';
import { checkFromLogLine, type LoggedCheck, tallyCheck, UsageTally } from '#domain/usage/usage-window.ts';
import { verificationRecord } from '#domain/usage/verification-log.ts';
import { verificationLog } from '#platform/aws/verification-log.ts';
import { writeTally } from '#platform/observability/usage-writes.ts';
import { requestLog, usageStore } from '#platform/wiring/management.ts';

const stores = { usage: usageStore(), requests: requestLog() };
const verifications = verificationLog();

/**
 * Usage from the per-check log lines of the authorizer and of POST /v1/verify, in AWS: a
 * CloudWatch Logs subscription delivers them; this adds each key's checks to its day (counts,
 * refusals by code, top routes and addresses, latency), keeps its newest requests, sets its last
 * use, adds a tripped canary's trips, and with the verification log on sends every check to
 * Firehose. The authorizer itself writes nothing, and counts survive the instance that made them.
 * A failed batch is retried by Lambda (then goes to the failure queue), so a batch that failed
 * halfway can be counted twice: usage is at least once, never lost.
 */
export async function handler(event: CloudWatchLogsEvent) {
  const data = JSON.parse(
    gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'),
  ) as CloudWatchLogsDecodedData;
  const tally = new UsageTally();
  const checks: LoggedCheck[] = [];
  for (const logEvent of data.logEvents) {
    const logged = checkFromLogLine(logEvent.message, logEvent.timestamp);
    if (!logged) continue;
    checks.push(logged);
    tallyCheck(tally, logged);
  }
  const lastUsed = tally.lastUsed();
  const failed = (await writeTally(stores, tally, lastUsed)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  await verifications?.send(checks.map(verificationRecord));
  return { keys: lastUsed.size, days: tally.size, checks: checks.length };
}
