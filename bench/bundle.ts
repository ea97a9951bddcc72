import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}bench/.build`;

import { ESBUILD_OPTIONS } from '../infra/bundling.ts';
import { spread } from './stats.ts';

/** The options the CDK construct bundles with (ESM, minified, Node 22, the SDK bundled), quiet, with a metafile. */
export const BUNDLE_OPTIONS: BuildOptions = { ...ESBUILD_OPTIONS, logLevel: 'silent', metafile: true };

async function bundle(entry: string, name: string) {
  const outfile = `${out}/${name}.mjs`;
  const result = await build({ ...BUNDLE_OPTIONS, entryPoints: [`${root}${entry}`], outfile });
  return { outfile, meta: result.metafile as Metafile };
}

/** Bytes the authorizer carries beyond the floor, by package (or by file for our own code). */
function extraBytes(mine: Metafile, floor: Metafile): Record<string, number> {
  const inputs = (m: Metafile) => Object.values(m.outputs)[0]?.inputs ?? {};
  const [a, f] = [inputs(mine), inputs(floor)];
  const by: Record<string, number> = {};
  for (const path of new Set([...Object.keys(a), ...Object.keys(f)])) {
    const diff = (a[path]?.bytesInOutput ?? 0) - (f[path]?.bytesInOutput ?? 0);
    const name =
      /node_modules\/((@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.replace(/^.*functions\//, 'functions/');
    if (diff) by[name] = (by[name] ?? 0) + diff;
  }
  return Object.fromEntries(Object.entries(by).sort((x, y) => y[1] - x[1]));
}

/** Import time of a bundle in a fresh Node process, in milliseconds, measured inside that process. */
function importMs(file: string): number {
  const env = {
    ...process.env,
    LATCHKEY_KEYS_TABLE: 'keys',
    LATCHKEY_ROLES_TABLE: 'roles',
    LATCHKEY_USAGE_TABLE: 'usage',
    LATCHKEY_PEPPER_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pepper',
    AWS_REGION: 'us-east-1',
  };
  const code = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], { env, encoding: 'utf8' });
  if (run.status !== 0)
    throw new Error(`import of ${file} failed: ${run.stderr.trim().split('\n').at(-1)?.slice(0, 300)}`);
  return Number(run.stdout.trim());
}

/** The authorizer bundle against the SDK-only floor handler, built the same way. */
export async function benchBundle() {
  mkdirSync(out, { recursive: true });
  const authorizer = await bundle('functions/handlers/authorizer.ts', 'authorizer');
  const floor = await bundle('bench/floor.ts', 'floor');
  const ratios: number[] = [];
  for (let i = 0; i < 11; i++) {
    // Interleaved, alternating which goes first, so a busy moment weighs on both sides alike.
    const [first, second] = i % 2 ? [floor, authorizer] : [authorizer, floor];
    const times = new Map([first, second].map((b) => [b, importMs(b.outfile)]));
    ratios.push((times.get(authorizer) as number) / (times.get(floor) as number));
  }
  const [mine, base] = [statSync(authorizer.outfile).size, statSync(floor.outfile).size];
  return {
    figures: {
      authorizerBundleBytes: mine,
      floorBundleBytes: base,
      bundleVsFloorRatio: mine / base,
      importVsFloorRatio: spread(ratios),
    },
    extraBytes: extraBytes(authorizer.meta, floor.meta),
  };
}
