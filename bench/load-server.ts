import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { startLocal } from '../local/server.ts';

/**
 * The local service for the load test, in its own process (so the load generator does not share
 * its event loop), on the bench's DynamoDB Local. Over IPC it answers `stats`: this process's
 * event-loop delay and GC pauses since the last `stats`, the evidence for where a maximum
 * latency comes from.
 */
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let gc = { count: 0, totalMs: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.count++;
    gc.totalMs += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

const service = await startLocal({
  port: 0,
  memory: true,
  dynamoEndpoint: process.env.LATCHKEY_DYNAMODB_ENDPOINT,
  tablePrefix: 'load-',
  adminToken: process.env.LATCHKEY_ADMIN_TOKEN,
});
process.on('message', (message) => {
  if (message !== 'stats') return;
  process.send?.({
    eventLoopDelayMaxMs: delay.max / 1e6,
    eventLoopDelayP99Ms: delay.percentile(99) / 1e6,
    gc,
  });
  delay.reset();
  gc = { count: 0, totalMs: 0, maxMs: 0 };
});
process.on('SIGTERM', () => {
  void service.stop().then(() => process.exit(0));
});
process.send?.({ url: service.url, tables: service.tables });
