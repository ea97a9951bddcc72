import type { BuildOptions } from 'esbuild';

/**
 * How every Lambda handler is bundled: ESM, minified, for Node 22, with the AWS SDK bundled
 * (nothing external). The CDK construct and the benchmark both build with these settings.
 */
export const BUNDLE = {
  target: 'node22',
  mainFields: ['module', 'main'],
  // ESM bundles still meet CommonJS inside some dependencies; give them a require.
  banner: "import{createRequire}from'module';const require=createRequire(import.meta.url);",
  // In AWS usage always goes through the log (usage-ingest): fixing the setting at build time
  // drops the in-process usage counter, which only local mode runs, from every bundle.
  define: { 'process.env.LATCHKEY_USAGE_SOURCE': '"logs"' },
} as const;

/**
 * The same settings as esbuild's options, for what calls esbuild itself: the packed
 * `@latchkey/cdk`'s prebuilt handlers (packages/cdk/build.ts) and the bundle benchmark.
 */
export const ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: BUNDLE.target,
  minify: true,
  mainFields: [...BUNDLE.mainFields],
  banner: { js: BUNDLE.banner },
  define: { ...BUNDLE.define },
};
