import { gunzipSync } from 'node:zlib';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';
import { checkFromLogLine, tallyCheck, UsageTally } from '#domain/usage/usage-window.ts';
import { usageStore } from '#platform/wiring/management.ts';

const store = usageStore();

/**
 * Usage from the authorizer's log, in AWS: a CloudWatch Logs subscription delivers the
 * authorizer's per-check EMF lines (`keyId`, `usage: allowed|refused`); this adds them up per key
 * and UTC day, sets lastUsedAt, and adds a tripped canary's trips to its key (`usage: "tripped"`,
 * with the line's source IP and route). The authorizer itself writes nothing, and counts survive the
 * instance that made them. A failed batch is retried by Lambda (then goes to the failure queue),
 * so a batch that failed halfway can be counted twice: usage is at least once, never lost.
 */
export async function handler(event: CloudWatchLogsEvent) {
  const data = JSON.parse(
    gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'),
  ) as CloudWatchLogsDecodedData;
  const tally = new UsageTally();
  for (const logEvent of data.logEvents) {
    const check = checkFromLogLine(logEvent.message, logEvent.timestamp);
    if (check) tallyCheck(tally, check);
  }
  const lastUsed = tally.lastUsed();
  await Promise.all([
    ...tally.days().map((c) => store.add(c.keyId, c.day, c.allowed, c.refused)),
    ...[...lastUsed].map(([keyId, at]) => store.touch(keyId, at)),
    ...tally.tripped().map((trips) => store.trip(trips)),
  ]);
  return { keys: lastUsed.size, days: tally.size };
}
