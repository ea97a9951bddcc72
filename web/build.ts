import { DIST_DIR, ensureDashboardBuilt } from './serve.ts';

/**
 * `node --import tsx web/build.ts`: builds web/dist if it is missing or older than the sources,
 * then prints where it is. Hosts that serve the built files without importing this folder (the
 * CLI's signing proxy) run it as a process of its own.
 */
await ensureDashboardBuilt();
process.stdout.write(`${DIST_DIR}\n`);
