import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchAuthorizer } from './authorizer.ts';
import { benchBundle } from './bundle.ts';
import { benchCache } from './cache.ts';
import { benchCanary } from './canary.ts';
import { benchCanaryHttp } from './canary-http.ts';
import { benchCompliance } from './compliance.ts';
import { benchOnEngine } from './engine.ts';
import { benchLoad } from './load.ts';
import { benchPublicRevoke } from './public-revoke.ts';
import type { Spread } from './stats.ts';
import { benchSweep } from './sweep.ts';
import { benchUsageOverview } from './usage-overview.ts';

/**
 * `npm run bench`: every figure is measured against a baseline in the same run. Prints a table
 * and writes bench/results.json. Figures whose issue has not come yet are absent, not made up.
 *
 * `npm run bench -- --only cache,sweep` runs only those parts; `npm run bench -- --load` runs the
 * load test of the local service (not part of the default run: it takes about a minute and the
 * whole machine). A partial run merges its figures into results.json, keeping the others.
 */
const TARGETS: Record<string, { max: number } | { equals: number }> = {
  readsPerValidCheck: { equals: 1 },
  readsPerMalformedCheck: { equals: 0 },
  awaitedWritesPerCheck: { equals: 0 },
  authorizerVsBareGetRatio: { max: 1.25 },
  authorizerVsBareGetRatioOnEngine: { max: 1.1 },
  // Bytes are reported, not targeted: the cold start a user feels is importVsFloorRatio.
  importVsFloorRatio: { max: 1.2 },
  validVsWrongSecretP50DiffMicros: { max: 50 },
  canaryVsUnknownP50DiffMicros: { max: 50 },
  canaryVsWrongSecretP50DiffMicros: { max: 50 },
  canaryHttpDiffWithinNoise: { equals: 1 },
  publicRevokeDiffWithinNoise: { equals: 1 },
  sweepReadsPerDueKey: { max: 1.1 },
  sweepReadsPerDueKeyAt100: { max: 1.1 },
  sweepReadsPerDueKeyAt10000: { max: 1.1 },
  sweepScans: { equals: 0 },
  complianceItemsReadPerLiveKeyAt100: { equals: 1 },
  complianceItemsReadPerLiveKeyAt10000: { equals: 1 },
  unusedSweepReadsPerUnusedKeyAt100: { max: 1.1 },
  unusedSweepReadsPerUnusedKeyAt10000: { max: 1.1 },
  complianceScans: { equals: 0 },
  hotKeyReadsPerSecondPerInstance: { max: 0.2 },
  coalescedReadsPer100ConcurrentChecks: { equals: 1 },
  revocationObservedWithinSeconds: { max: 5 },
  largestKeyItemBytes: { max: 4095 },
  largestKeyReadUnits: { equals: 1 },
  loadUsageCountMatchesAllowed: { equals: 1 },
};

type Figures = Record<string, number | Spread>;
let extraBytes: Record<string, number> | undefined;
const PARTS: Record<string, () => Promise<Figures>> = {
  authorizer: benchAuthorizer,
  engine: benchOnEngine,
  bundle: async () => {
    const bundle = await benchBundle();
    extraBytes = bundle.extraBytes;
    return bundle.figures;
  },
  sweep: benchSweep,
  compliance: benchCompliance,
  overview: () => benchUsageOverview(),
  canary: benchCanary,
  canaryHttp: benchCanaryHttp,
  publicRevoke: benchPublicRevoke,
  cache: benchCache,
  load: benchLoad,
};
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
if (onlyAt >= 0 && !args[onlyAt + 1]) throw new Error('--only needs parts, e.g. --only cache,sweep');
const only = args.includes('--load')
  ? ['load']
  : onlyAt >= 0
    ? (args[onlyAt + 1] as string).split(',')
    : Object.keys(PARTS).filter((p) => p !== 'load');
const unknown = only.filter((p) => !(p in PARTS));
if (unknown.length)
  throw new Error(`unknown bench parts: ${unknown.join(', ')} (parts: ${Object.keys(PARTS).join(', ')})`);
const measured: Figures = {};
for (const part of only) Object.assign(measured, await (PARTS[part] as () => Promise<Figures>)());
// Each figure's value is its median over interleaved rounds where it has rounds; targets judge that.
const results = Object.fromEntries(
  Object.entries(measured).map(([name, v]) => [name, typeof v === 'number' ? v : v.median]),
);
const spreads = Object.fromEntries(
  Object.entries(measured).flatMap(([name, v]) =>
    typeof v === 'number' ? [] : [[name, { min: v.min, max: v.max }]],
  ),
);

const round = (n: number) => Number(n.toFixed(4));
const rows = Object.entries(results).map(([name, value]) => {
  const target = TARGETS[name];
  const goal = !target ? '' : 'max' in target ? `≤ ${target.max}` : `= ${target.equals}`;
  const met = !target ? '' : 'max' in target ? value <= target.max : value === target.equals;
  const range = spreads[name];
  return {
    figure: name,
    value: round(value),
    'min–max of rounds': range ? `${round(range.min)}–${round(range.max)}` : '',
    target: goal,
    met: target ? (met ? 'yes' : 'NO') : '',
  };
});
console.table(rows);
if (extraBytes) {
  console.log('Authorizer bundle bytes beyond the floor, largest first:');
  for (const [name, bytes] of Object.entries(extraBytes).slice(0, 8)) console.log(`  ${bytes}\t${name}`);
}
const file = fileURLToPath(new URL('results.json', import.meta.url));
const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
writeFileSync(
  file,
  `${JSON.stringify(
    {
      ...previous,
      measuredAt: new Date().toISOString(),
      node: process.version,
      parts: only,
      results: { ...previous.results, ...results },
      spreads: { ...previous.spreads, ...spreads },
      targets: TARGETS,
      authorizerExtraBytes: extraBytes ?? previous.authorizerExtraBytes,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${file}`);
