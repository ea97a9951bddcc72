import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { interleavedP50s, p50Differences, timedRequest, withLocalService } from './http-probe.ts';
import { printFigures, type Spread, spread } from './stats.ts';

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
const WARMUP = 50;
/** Each probe starts once the check of the one before (a revocation, for a live key) has settled. */
const SETTLE_MS = 25;

export function benchPublicRevoke(): Promise<Record<string, number | Spread>> {
  const env = { LATCHKEY_PUBLIC_REQUESTS_PER_MINUTE: '100000', LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER: '100000' };
  return withLocalService(env, async ({ url, api }) => {
    // Every live probe revokes its key: one key per probe, made before the first.
    const live: string[] = [];
    for (let i = 0; i < ROUNDS * PER_ROUND + WARMUP; i++) {
      const res = await api('POST', '/v1/keys', { owner: 'bench' });
      if (res.status !== 201) throw new Error(`create: ${res.status}`);
      live.push(res.body.secret as string);
    }
    const sides = {
      live: () => live.pop() as string,
      garbage: () => `lk_live_${randomBytes(30).toString('hex')}`,
      garbageB: () => randomBytes(12).toString('hex'),
      unknown: () => newSecret(newKeyId(), 'production'),
    };
    type Side = keyof typeof sides;
    const endpoint = `${url}/v1/credentials/revoke`;
    const p50s = await interleavedP50s(
      Object.keys(sides) as Side[],
      { rounds: ROUNDS, perRound: PER_ROUND, settleMs: SETTLE_MS, warmup: WARMUP, settleWarmup: true },
      (side) =>
        timedRequest(
          endpoint,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ credentials: [sides[side]()] }),
          },
          202,
        ),
    );
    const liveVsGarbage = spread(p50Differences(p50s, 'live', 'garbage'));
    const noise = spread(p50Differences(p50s, 'garbage', 'garbageB'));
    return {
      publicRevokeLiveP50HttpMicros: spread(p50s.live),
      publicRevokeGarbageP50HttpMicros: spread(p50s.garbage),
      publicRevokeLiveVsGarbageHttpP50DiffMicros: liveVsGarbage,
      publicRevokeLiveVsUnknownHttpP50DiffMicros: spread(p50Differences(p50s, 'live', 'unknown')),
      publicRevokeGarbageVsGarbageHttpP50DiffMicros: noise,
      publicRevokeDiffWithinNoise: liveVsGarbage.median <= noise.max ? 1 : 0,
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printFigures(await benchPublicRevoke());
