import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { marshall } from '@aws-sdk/util-dynamodb';
import { authorizerConfig } from '#config/authorizer.ts';
import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { createAuthorizer } from '#platform/http/authorizer-events.ts';
import { canaryAlarm } from '#platform/observability/canary-metric.ts';
import { logger } from '#platform/observability/logger.ts';
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
 * A canary against an unknown key and against a live key's wrong secret, through the real
 * authorizer on the stub transport: each does the one read and the HMAC compare; the canary is
 * answered INVALID_SECRET as the live key's wrong secret is (the unknown key NOT_FOUND) and also
 * raises its alarm (metric, log line, event, with a publisher that only counts), which runs after
 * the answer. The canary is presented with a made-up secret, as a prober would. The p50
 * differences are taken per interleaved round, so their spread shows. Runs alone:
 * `npx tsx bench/canary.ts`.
 */
export async function benchCanary() {
  const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'c'.repeat(43) }));
  const canaryKey = storedKey(peppers, { name: 'trap', owner: 'sec', type: 'canary' });
  const liveKey = storedKey(peppers, { name: 'live', owner: 'sec' });
  const transport = new PreparedTransport(
    new Map(
      [canaryKey, liveKey].map((k) => [k.record.keyId, k.record as unknown as Record<string, unknown>]),
    ),
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
  type Event = ReturnType<typeof requestEvent>;
  const event = (key: string): Event =>
    requestEvent({ method: 'GET', path: '/orders/1', headers: { authorization: `Bearer ${key}` } });
  const sides = {
    canary: { event: event(newSecret(canaryKey.record.keyId, 'production')), code: 'INVALID_SECRET' },
    unknown: { event: event(newSecret(newKeyId(), 'production')), code: 'NOT_FOUND' },
    wrongSecret: { event: event(newSecret(liveKey.record.keyId, 'production')), code: 'INVALID_SECRET' },
  };
  type Side = keyof typeof sides;
  const refused = async (side: Side) => {
    const code = await authorize(sides[side].event).then(
      () => 'ALLOWED',
      (error: { code?: string }) => error.code,
    );
    if (code !== sides[side].code) throw new Error(`bench: expected ${sides[side].code}, got ${code}`);
  };
  // The alarm's log line is real work, but thousands of them would bury the bench's table.
  const level = logger.getLevelName();
  logger.setLogLevel('SILENT');
  for (let i = 0; i < 2000; i++) for (const side of Object.keys(sides) as Side[]) await refused(side);
  /** The p50 difference of the canary against `other`, per round of interleaved requests. */
  const against = async (other: Side) => {
    const diffs: number[] = [];
    for (let round = 0; round < 15; round++) {
      const times: Record<Side, number[]> = { canary: [], unknown: [], wrongSecret: [] };
      const time = async (side: Side) => {
        const t = performance.now();
        await refused(side);
        times[side].push(performance.now() - t);
      };
      for (let i = 0; i < 400; i++) {
        // Alternating which goes first, so the alarm's deferred work weighs on both sides alike.
        for (const side of i % 2 ? (['canary', other] as const) : ([other, 'canary'] as const))
          await time(side);
      }
      diffs.push(Math.abs(median(times.canary) - median(times[other])) * 1000);
    }
    return spread(diffs);
  };
  const canaryVsUnknownP50DiffMicros = await against('unknown');
  const canaryVsWrongSecretP50DiffMicros = await against('wrongSecret');
  await new Promise((resolve) => setImmediate(resolve));
  logger.setLogLevel(level);
  if (!counted || !published.some((e) => e.detailType === 'API Key Canary Triggered'))
    throw new Error('bench: the canary raised no event');
  return { canaryVsUnknownP50DiffMicros, canaryVsWrongSecretP50DiffMicros };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await benchCanary();
  console.table(
    Object.entries(figures).map(([figure, d]) => ({
      figure,
      value: Number(d.median.toFixed(4)),
      'min–max of rounds': `${d.min.toFixed(4)}–${d.max.toFixed(4)}`,
      target: '≤ 50',
      met: d.median <= 50 ? 'yes' : 'NO',
    })),
  );
}
