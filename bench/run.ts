import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchAuthorizer } from './authorizer.ts';
import { benchBundle } from './bundle.ts';
import { benchCanary } from './canary.ts';
import { benchOnEngine } from './engine.ts';
import type { Spread } from './stats.ts';
import { benchSweep } from './sweep.ts';

/**
 * `npm run bench`: every figure is measured against a baseline in the same run. Prints a table
 * and writes bench/results.json. Figures whose issue has not come yet are absent, not made up.
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
  sweepReadsPerDueKey: { max: 1.1 },
  sweepReadsPerDueKeyAt100: { max: 1.1 },
  sweepReadsPerDueKeyAt10000: { max: 1.1 },
  sweepScans: { equals: 0 },
};

const bundle = await benchBundle();
const measured: Record<string, number | Spread> = {
  ...(await benchAuthorizer()),
  ...(await benchOnEngine()),
  ...bundle.figures,
  ...(await benchSweep()),
  ...(await benchCanary()),
};
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
console.log('Authorizer bundle bytes beyond the floor, largest first:');
for (const [name, bytes] of Object.entries(bundle.extraBytes).slice(0, 8)) console.log(`  ${bytes}\t${name}`);
const file = fileURLToPath(new URL('results.json', import.meta.url));
writeFileSync(
  file,
  `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, results, spreads, targets: TARGETS, authorizerExtraBytes: bundle.extraBytes }, null, 2)}\n`,
);
console.log(`wrote ${file}`);
