import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { startDynamoLocal } from '../local/dynamodb-local.ts';
import { apiOf } from '../test/support/largest-key.ts';
import { startServer } from './load.ts';
import { median, type Spread, spread } from './stats.ts';

/**
 * POST /v1/credentials/revoke as a prober sees it: the local service in its own process, one
 * report of one string at a time, the sides in a random order. Per round, the p50 of a live key's
 * secret (revoked by the check, after the answer) against garbage (no read, ever) and against an
 * unknown key's well-formed secret; the noise is the same measurement between two garbage strings.
 * The answer tells a live key from garbage no more than the noise when its median difference is
 * no larger than the noise's largest.
 */
const ROUNDS = 10;
const PER_ROUND = 40;
/** Each probe starts once the check of the one before (a revocation, for a live key) has settled. */
const SETTLE_MS = 25;

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function timed(url: string, credential: string): Promise<number> {
  const body = JSON.stringify({ credentials: [credential] });
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 202) reject(new Error(`bench: expected 202, got ${res.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - started) / 1000);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function benchPublicRevoke(): Promise<Record<string, number | Spread>> {
  const dynamo = await startDynamoLocal({ dbPath: undefined, accessKeyId: 'local' });
  const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
  const server = startServer({
    LATCHKEY_DYNAMODB_ENDPOINT: dynamo.endpoint,
    LATCHKEY_ADMIN_TOKEN: adminToken,
    LATCHKEY_PUBLIC_REQUESTS_PER_MINUTE: '100000',
    LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER: '100000',
  });
  try {
    const { url } = await server.ready;
    const api = apiOf(url, adminToken);
    // Every live probe revokes its key: one key per probe, made before the first.
    const live: string[] = [];
    for (let i = 0; i < ROUNDS * PER_ROUND + 50; i++) {
      const res = await api('POST', '/v1/keys', { owner: 'bench' });
      if (res.status !== 201) throw new Error(`create: ${res.status}`);
      live.push(res.body.secret as string);
    }
    const sides = {
      live: () => live.pop() as string,
      garbage: () => `lk_live_${randomBytes(30).toString('hex').slice(0, 71)}`,
      garbageB: () => randomBytes(12).toString('hex'),
      unknown: () => newSecret(newKeyId(), 'production'),
    };
    type Side = keyof typeof sides;
    const names = Object.keys(sides) as Side[];
    const endpoint = `${url}/v1/credentials/revoke`;
    for (let i = 0; i < 50; i++)
      for (const side of names) {
        await timed(endpoint, sides[side]());
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      }
    const diffs = { liveVsGarbage: [] as number[], liveVsUnknown: [] as number[], noise: [] as number[] };
    const p50s: Record<Side, number[]> = { live: [], garbage: [], garbageB: [], unknown: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const times: Record<Side, number[]> = { live: [], garbage: [], garbageB: [], unknown: [] };
      for (let i = 0; i < PER_ROUND; i++) {
        for (const side of shuffled(names)) {
          times[side].push(await timed(endpoint, sides[side]()));
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        }
      }
      const p50 = Object.fromEntries(names.map((n) => [n, median(times[n])])) as Record<Side, number>;
      for (const n of names) p50s[n].push(p50[n]);
      diffs.liveVsGarbage.push(Math.abs(p50.live - p50.garbage));
      diffs.liveVsUnknown.push(Math.abs(p50.live - p50.unknown));
      diffs.noise.push(Math.abs(p50.garbage - p50.garbageB));
    }
    const liveVsGarbage = spread(diffs.liveVsGarbage);
    const noise = spread(diffs.noise);
    return {
      publicRevokeLiveP50HttpMicros: spread(p50s.live),
      publicRevokeGarbageP50HttpMicros: spread(p50s.garbage),
      publicRevokeLiveVsGarbageHttpP50DiffMicros: liveVsGarbage,
      publicRevokeLiveVsUnknownHttpP50DiffMicros: spread(diffs.liveVsUnknown),
      publicRevokeGarbageVsGarbageHttpP50DiffMicros: noise,
      publicRevokeDiffWithinNoise: liveVsGarbage.median <= noise.max ? 1 : 0,
    };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    await dynamo.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await benchPublicRevoke();
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
