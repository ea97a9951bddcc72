/**
 * How every Lambda handler is bundled: ESM, minified, for Node 22, with the AWS SDK bundled
 * (nothing external). The CDK construct and the benchmark both build with these settings.
 */
export const BUNDLE = {
  target: 'node22',
  mainFields: ['module', 'main'],
  // ESM bundles still meet CommonJS inside some dependencies; give them a require.
  banner: "import{createRequire}from'module';const require=createRequire(import.meta.url);",
} as const;
