import { fileURLToPath } from 'node:url';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { interleavedP50s, p50Differences, timedRequest, withLocalService } from './http-probe.ts';
import { printFigures, type Spread, spread } from './stats.ts';

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
// The canary's alarm (a log line, an event written) runs after its answer: it must land on no
// side's next request, so each probe starts on a server that has settled.
const SETTLE_MS = 5;

export function benchCanaryHttp(): Promise<Record<string, number | Spread>> {
  return withLocalService({}, async ({ url, api }) => {
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
    const demo = `${url}/demo/orders`;
    const p50s = await interleavedP50s(
      Object.keys(sides) as Side[],
      { rounds: ROUNDS, perRound: PER_ROUND, settleMs: SETTLE_MS, warmup: 200, settleWarmup: false },
      (side) => timedRequest(demo, { headers: { authorization: `Bearer ${sides[side]()}` } }, 401),
    );
    const canaryVsWrongSecret = spread(p50Differences(p50s, 'canary', 'liveA'));
    const noise = spread(p50Differences(p50s, 'liveB', 'liveA'));
    return {
      canaryP50HttpMicros: spread(p50s.canary),
      wrongSecretP50HttpMicros: spread(p50s.liveA),
      unknownP50HttpMicros: spread(p50s.unknown),
      canaryVsWrongSecretHttpP50DiffMicros: canaryVsWrongSecret,
      wrongSecretVsWrongSecretHttpP50DiffMicros: noise,
      canaryVsUnknownHttpP50DiffMicros: spread(p50Differences(p50s, 'canary', 'unknown')),
      canaryHttpDiffWithinNoise: canaryVsWrongSecret.median <= noise.max ? 1 : 0,
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printFigures(await benchCanaryHttp());
