import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDtsBundle } from 'dts-bundle-generator';
import { build } from 'esbuild';
import { HANDLER_MODULES } from '../../functions/handler-modules.ts';
import { ESBUILD_OPTIONS } from '../../infra/bundling.ts';
import { PREBUILT_MANIFEST } from '../../infra/prebuilt.ts';
import { FUNCTION_ACCESS } from '../../infra/service/function-access.ts';
import { BUILD_ONLY_FILES, DIST_DIR } from '../../web/dist-layout.ts';
import { ensureDashboardBuilt } from '../../web/serve.ts';

/**
 * `npm pack` runs this (prepack): the package's `dist/`, everything a consumer's synth needs and
 * nothing it must build. Every handler the construct deploys, bundled as the construct bundles it
 * in this repository (infra/latchkey-function.ts: the BUNDLE settings, ESM, minified, with source
 * maps), the construct itself bundled with its dependencies (aws-cdk-lib and constructs are the
 * consumer's, zod the package's), its type declarations in one file, and the portal's built app.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const dist = join(here, 'dist');
// The handlers the construct can deploy: those with access rules (not the local-only demo and events list).
const handlers = Object.keys(HANDLER_MODULES)
  .filter((handler) => handler in FUNCTION_ACCESS)
  .sort();

await rm(dist, { recursive: true, force: true });

// One esbuild run for every handler: the shared modules are parsed once.
await build({
  entryPoints: Object.fromEntries(
    handlers.map((handler) => [`${handler}/index`, join(root, 'functions/handlers', `${handler}.ts`)]),
  ),
  outdir: join(dist, 'lambda'),
  outExtension: { '.js': '.mjs' },
  ...ESBUILD_OPTIONS,
  sourcemap: true,
  logLevel: 'warning',
});

await build({
  entryPoints: [join(here, 'src/index.ts')],
  outfile: join(dist, 'index.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['aws-cdk-lib', 'constructs', 'zod'],
  logLevel: 'warning',
});

const [declarations] = generateDtsBundle(
  [{ filePath: join(here, 'src/index.ts'), output: { noBanner: true, exportReferencedTypes: false } }],
  { preferredConfigPath: join(here, 'tsconfig.build.json') },
);
await writeFile(join(dist, 'index.d.ts'), declarations as string);

await ensureDashboardBuilt();
await mkdir(join(dist, 'portal'));
await cp(DIST_DIR, join(dist, 'portal'), {
  recursive: true,
  filter: (source) =>
    !(BUILD_ONLY_FILES as readonly string[]).some((name) => source === join(DIST_DIR, name)),
});

// Written last: its presence tells the construct the package is complete (infra/prebuilt.ts).
await writeFile(join(dist, PREBUILT_MANIFEST), `${JSON.stringify({ handlers }, null, 2)}\n`);
