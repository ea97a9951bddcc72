import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { startDynamoLocal } from '../local/dynamodb-local.ts';
import { apiOf } from '../test/support/largest-key.ts';
import { startServer } from './load.ts';
import { median, type Spread, spread } from './stats.ts';

/**
 * The canary's timing as an attacker sees it: `GET /demo/orders` on the local service (its own
 * process, on DynamoDB Local), one request at a time, the sides in a random order. Per round,
 * the p50 of a canary named with a made-up secret against a live key's wrong secret (the same
 * answer, INVALID_SECRET), and against an unknown key (NOT_FOUND, a different answer anyway).
 * The noise is the same measurement between two live keys' wrong secrets, which differ in
 * nothing: the canary is within bounds when its difference is no larger than that.
 */
const ROUNDS = 12;
const PER_ROUND = 80;
const SETTLE_MS = 5;

/** A random order of the sides for one pass, so none follows another more often than the rest. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function timed(url: string, secret: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(url, { headers: { authorization: `Bearer ${secret}` }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 401) reject(new Error(`bench: expected 401, got ${res.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - started) / 1000);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchCanaryHttp(): Promise<Record<string, number | Spread>> {
  const dynamo = await startDynamoLocal({ dbPath: undefined, accessKeyId: 'local' });
  const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
  const server = startServer({
    LATCHKEY_DYNAMODB_ENDPOINT: dynamo.endpoint,
    LATCHKEY_ADMIN_TOKEN: adminToken,
  });
  try {
    const { url } = await server.ready;
    const api = apiOf(url, adminToken);
    const made = async (body: Record<string, unknown>) => {
      const res = await api('POST', '/v1/keys', { owner: 'bench', ...body });
      if (res.status !== 201) throw new Error(`create: ${res.status}`);
      return res.body.key.keyId as string;
    };
    const [canary, liveA, liveB] = [await made({ type: 'canary' }), await made({}), await made({})];
    const sides = {
      canary: () => newSecret(canary, 'production'),
      liveA: () => newSecret(liveA, 'production'),
      liveB: () => newSecret(liveB, 'production'),
      unknown: () => newSecret(newKeyId(), 'production'),
    };
    type Side = keyof typeof sides;
    const names = Object.keys(sides) as Side[];
    const demo = `${url}/demo/orders`;
    for (let i = 0; i < 200; i++) for (const side of names) await timed(demo, sides[side]());
    const diffs = {
      canaryVsWrongSecret: [] as number[],
      noise: [] as number[],
      canaryVsUnknown: [] as number[],
    };
    const p50s: Record<Side, number[]> = { canary: [], liveA: [], liveB: [], unknown: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const times: Record<Side, number[]> = { canary: [], liveA: [], liveB: [], unknown: [] };
      for (let i = 0; i < PER_ROUND; i++) {
        for (const side of shuffled(names)) {
          times[side].push(await timed(demo, sides[side]()));
          // The canary's alarm (a log line, an event written) runs after its answer: it must land
          // on no side's next request, so each probe starts on a server that has settled.
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        }
      }
      const p50 = Object.fromEntries(names.map((n) => [n, median(times[n])])) as Record<Side, number>;
      for (const n of names) p50s[n].push(p50[n]);
      diffs.canaryVsWrongSecret.push(Math.abs(p50.canary - p50.liveA));
      diffs.noise.push(Math.abs(p50.liveB - p50.liveA));
      diffs.canaryVsUnknown.push(Math.abs(p50.canary - p50.unknown));
    }
    const canaryVsWrongSecret = spread(diffs.canaryVsWrongSecret);
    const noise = spread(diffs.noise);
    return {
      canaryP50HttpMicros: spread(p50s.canary),
      wrongSecretP50HttpMicros: spread(p50s.liveA),
      unknownP50HttpMicros: spread(p50s.unknown),
      canaryVsWrongSecretHttpP50DiffMicros: canaryVsWrongSecret,
      wrongSecretVsWrongSecretHttpP50DiffMicros: noise,
      canaryVsUnknownHttpP50DiffMicros: spread(diffs.canaryVsUnknown),
      canaryHttpDiffWithinNoise: canaryVsWrongSecret.median <= noise.max ? 1 : 0,
    };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    await dynamo.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await benchCanaryHttp();
  console.table(
    Object.entries(figures).map(([figure, d]) =>
      typeof d === 'number'
        ? { figure, value: d }
        : {
            figure,
            value: Number(d.median.toFixed(1)),
            'min–max of rounds': `${d.min.toFixed(1)}–${d.max.toFixed(1)}`,
          },
    ),
  );
}
