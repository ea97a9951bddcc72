import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { startDynamoLocal } from '../local/dynamodb-local.ts';
import { type Api, apiOf } from '../test/support/largest-key.ts';
import { startServer } from './load.ts';
import { median } from './stats.ts';

/**
 * What the HTTP timing parts (canary-http.ts, public-revoke.ts) share: the local service in its
 * own process, one request at a time on a fresh connection, and rounds of the sides in a random
 * order, each side's p50 taken per round.
 */

/** A random order of the sides for one pass, so none follows another more often than the rest. */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export interface ProbeRequest {
  /** @default GET */
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** One request on a connection of its own: microseconds until its answer has been read; any other status than `expectStatus` fails the bench. */
export function timedRequest(url: string, init: ProbeRequest, expectStatus: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(url, { method: init.method, headers: init.headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== expectStatus)
          reject(new Error(`bench: expected ${expectStatus}, got ${res.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - started) / 1000);
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * The local service (bench/load-server.ts, its own process) on a DynamoDB Local of its own, with
 * `env` beside its endpoint and a fresh admin token, for `run`; both are stopped after, whatever
 * `run` does.
 */
export async function withLocalService<T>(
  env: Readonly<Record<string, string>>,
  run: (service: { url: string; api: Api }) => Promise<T>,
): Promise<T> {
  const dynamo = await startDynamoLocal({ dbPath: undefined, accessKeyId: 'local' });
  const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
  const server = startServer({
    LATCHKEY_DYNAMODB_ENDPOINT: dynamo.endpoint,
    LATCHKEY_ADMIN_TOKEN: adminToken,
    ...env,
  });
  try {
    const { url } = await server.ready;
    return await run({ url, api: apiOf(url, adminToken) });
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    await dynamo.stop();
  }
}

export interface InterleavedRounds {
  readonly rounds: number;
  /** Probes of each side per round. */
  readonly perRound: number;
  /** The pause after each probe, so the next starts on a server that has settled. */
  readonly settleMs: number;
  /** Passes over the sides, in order, before the first round: nothing of them is kept. */
  readonly warmup: number;
  /** Whether the warm-up pauses after each probe too. */
  readonly settleWarmup: boolean;
}

/**
 * Each side's p50 per round: a round is `perRound` passes over the sides, each pass in a new
 * random order, each probe followed by the settle pause. `probe` times one request of its side.
 */
export async function interleavedP50s<Side extends string>(
  sides: readonly Side[],
  rounds: InterleavedRounds,
  probe: (side: Side) => Promise<number>,
): Promise<Record<Side, number[]>> {
  const settle = () => new Promise((resolve) => setTimeout(resolve, rounds.settleMs));
  const perSide = () =>
    Object.fromEntries(sides.map((side) => [side, [] as number[]])) as Record<Side, number[]>;
  for (let i = 0; i < rounds.warmup; i++)
    for (const side of sides) {
      await probe(side);
      if (rounds.settleWarmup) await settle();
    }
  const p50s = perSide();
  for (let round = 0; round < rounds.rounds; round++) {
    const times = perSide();
    for (let i = 0; i < rounds.perRound; i++)
      for (const side of shuffled(sides)) {
        times[side].push(await probe(side));
        await settle();
      }
    for (const side of sides) p50s[side].push(median(times[side]));
  }
  return p50s;
}

/** Per round, how far apart sides `a` and `b` were: the absolute difference of their p50s. */
export const p50Differences = <Side extends string>(p50s: Record<Side, number[]>, a: Side, b: Side) =>
  p50s[a].map((p50, round) => Math.abs(p50 - (p50s[b][round] as number)));
