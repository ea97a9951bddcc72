#!/usr/bin/env node
// The `latchkey` command: TypeScript through tsx, and the only place that exits the process.
import { register } from 'tsx/esm/api';

register();
// Before any AWS SDK client is made: its notice that releases after January 2027 need Node 22 is
// nothing to act on here (the lockfile pins the SDK, and Node 20.19+ is supported).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A reader that stops early (`latchkey keys list | head -1`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { run, processIo } = await import('../src/main.ts');
const code = await run(process.argv.slice(2), processIo());
await new Promise((resolve) => process.stdout.write('', resolve));
process.exit(code);
