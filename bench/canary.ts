import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { createAuthorizer } from '#platform/http/authorizer-events.ts';
import { canaryAlarm } from '#platform/observability/canary-metric.ts';
import { logger } from '#platform/observability/logger.ts';
import { authorizerConfig } from '#platform/wiring/authorizer-config.ts';
import { readKey } from '#store/read-key.ts';
import { requestEvent } from '../test/support/authorizer-events.ts';
import { storedKey } from '../test/support/fixtures.ts';
import { median, spread } from './stats.ts';
import { StubTransport, stubDocumentClient } from './stub-transport.ts';

/**
 * The stub transport with each answer's bytes prepared once: what the server does to answer
 * (marshalling the item) is not the authorizer's time, and would weigh on the side with an item.
 */
class PreparedTransport extends StubTransport {
  private readonly answers = new Map<string, Buffer>();
  constructor(private readonly stored: Map<string, Record<string, unknown>>) {
    super(stored);
  }
  override async handle(request: { headers: Record<string, string>; body?: unknown }) {
    const op = (request.headers['x-amz-target'] ?? '').split('.')[1] ?? 'Unknown';
    if (op !== 'GetItem') return super.handle(request);
    this.calls.push(op);
    const { Key } = JSON.parse(Buffer.from(request.body as Uint8Array).toString('utf8')) as {
      Key: { keyId: { S: string } };
    };
    let bytes = this.answers.get(Key.keyId.S);
    if (!bytes) {
      const item = this.stored.get(Key.keyId.S);
      bytes = Buffer.from(
        JSON.stringify(item ? { Item: marshall(item, { removeUndefinedValues: true }) } : {}),
      );
      this.answers.set(Key.keyId.S, bytes);
    }
    return {
      response: {
        statusCode: 200,
        reason: 'OK',
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: Readable.from([bytes]),
      },
    };
  }
}

/**
 * Canary against unknown key, through the real authorizer on the stub transport: both do the one
 * read and the HMAC compare and are refused NOT_FOUND; the canary also raises its alarm (metric,
 * log line, event, with a publisher that only counts), which runs after the answer. The p50
 * difference is taken per interleaved round, so its spread shows. Runs alone: `npx tsx bench/canary.ts`.
 */
export async function benchCanary() {
  const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'c'.repeat(43) }));
  const { record, secret } = storedKey(peppers, { name: 'trap', owner: 'sec', type: 'canary' });
  const transport = new PreparedTransport(
    new Map([[record.keyId, record as unknown as Record<string, unknown>]]),
  );
  const doc = stubDocumentClient(transport);
  const published: LatchkeyEvent[] = [];
  let counted = 0;
  const authorize = createAuthorizer(
    {
      getKey: (id) => readKey(doc, 'keys', id),
      peppers: async () => peppers,
      now: () => new Date(),
      customRoles: async () => new Map(),
      observe: () => undefined,
      fault: (error) => {
        throw error;
      },
      canary: canaryAlarm(
        () => ({
          publish: async (events) => {
            published.push(...events);
          },
        }),
        // The metric's EMF line, counted rather than printed (it is written after the answer too).
        () => {
          counted++;
        },
      ),
    },
    authorizerConfig({}),
  );
  const event = (key: string) =>
    requestEvent({ method: 'GET', path: '/orders/1', headers: { authorization: `Bearer ${key}` } });
  const canary = event(secret);
  const unknown = event(newSecret(newKeyId(), 'production'));
  const refused = async (e: ReturnType<typeof event>) => {
    const code = await authorize(e).then(
      () => 'ALLOWED',
      (error: { code?: string }) => error.code,
    );
    if (code !== 'NOT_FOUND') throw new Error(`bench: expected NOT_FOUND, got ${code}`);
  };
  // The alarm's log line is real work, but 14 000 of them would bury the bench's table.
  const level = logger.getLevelName();
  logger.setLogLevel('SILENT');
  for (let i = 0; i < 2000; i++) {
    await refused(canary);
    await refused(unknown);
  }
  const diffs: number[] = [];
  for (let round = 0; round < 15; round++) {
    const canaryTimes: number[] = [];
    const unknownTimes: number[] = [];
    const time = async (e: ReturnType<typeof event>, into: number[]) => {
      const t = performance.now();
      await refused(e);
      into.push(performance.now() - t);
    };
    for (let i = 0; i < 400; i++) {
      // Alternating which goes first, so the alarm's deferred work weighs on both sides alike.
      if (i % 2) {
        await time(canary, canaryTimes);
        await time(unknown, unknownTimes);
      } else {
        await time(unknown, unknownTimes);
        await time(canary, canaryTimes);
      }
    }
    diffs.push(Math.abs(median(canaryTimes) - median(unknownTimes)) * 1000);
  }
  await new Promise((resolve) => setImmediate(resolve));
  logger.setLogLevel(level);
  if (!counted || !published.some((e) => e.detailType === 'API Key Canary Triggered'))
    throw new Error('bench: the canary raised no event');
  return { canaryVsUnknownP50DiffMicros: spread(diffs) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { canaryVsUnknownP50DiffMicros: d } = await benchCanary();
  console.table([
    {
      figure: 'canaryVsUnknownP50DiffMicros',
      value: Number(d.median.toFixed(4)),
      'min–max of rounds': `${d.min.toFixed(4)}–${d.max.toFixed(4)}`,
      target: '≤ 50',
      met: d.median <= 50 ? 'yes' : 'NO',
    },
  ]);
}
