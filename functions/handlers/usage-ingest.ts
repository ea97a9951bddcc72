import { gunzipSync } from 'node:zlib';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';
import { usageStore } from '#platform/deps.ts';

const store = usageStore();

interface CheckLine {
  keyId?: unknown;
  usage?: unknown;
  _aws?: { Timestamp?: unknown };
}

/**
 * Usage from the authorizer's log, in AWS: a CloudWatch Logs subscription delivers the
 * authorizer's per-check EMF lines (`keyId`, `usage: allowed|refused`); this adds them up per key
 * and UTC day and sets lastUsedAt. The authorizer itself writes nothing, and counts survive the
 * instance that made them. A failed batch is retried by Lambda (then goes to the failure queue),
 * so a batch that failed halfway can be counted twice: usage is at least once, never lost.
 */
export async function handler(event: CloudWatchLogsEvent) {
  const data = JSON.parse(
    gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'),
  ) as CloudWatchLogsDecodedData;
  const counts = new Map<string, { keyId: string; day: string; allowed: number; refused: number }>();
  const lastUsed = new Map<string, string>();
  for (const logEvent of data.logEvents) {
    const start = logEvent.message.indexOf('{');
    if (start < 0) continue;
    let line: CheckLine;
    try {
      line = JSON.parse(logEvent.message.slice(start)) as CheckLine;
    } catch {
      continue;
    }
    if (typeof line.keyId !== 'string' || (line.usage !== 'allowed' && line.usage !== 'refused')) continue;
    const at = new Date(
      typeof line._aws?.Timestamp === 'number' ? line._aws.Timestamp : logEvent.timestamp,
    ).toISOString();
    const day = at.slice(0, 10);
    const id = `${line.keyId}#${day}`;
    const c = counts.get(id) ?? { keyId: line.keyId, day, allowed: 0, refused: 0 };
    if (line.usage === 'allowed') {
      c.allowed++;
      if ((lastUsed.get(line.keyId) ?? '') < at) lastUsed.set(line.keyId, at);
    } else c.refused++;
    counts.set(id, c);
  }
  await Promise.all([
    ...[...counts.values()].map((c) => store.add(c.keyId, c.day, c.allowed, c.refused)),
    ...[...lastUsed].map(([keyId, at]) => store.touch(keyId, at)),
  ]);
  return { keys: lastUsed.size, days: counts.size };
}
