import { defineConfig } from 'vitest/config';

// For this process too (the global setup starts DynamoDB Local with an SDK client), not only the
// test workers: the SDK's Node 22 notice is about its future releases, and the lockfile pins it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  // `@latchkey/cdk` resolves to its sources here, as for tsx and tsc (tsconfig.json `paths`).
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/dynamodb.global.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 90_000,
    env: {
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      // Tests write usage to past days between overviews; the closed-day cache has its own test.
      LATCHKEY_USAGE_OVERVIEW_CACHE_SECONDS: '0',
      AWS_REGION: 'us-east-1',
    },
  },
});
