import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { localClient, startDynamoLocal } from '../local/dynamodb-local.ts';
import { apiOf } from '../test/support/largest-key.ts';

/**
 * `npm run bench -- --load`: the local service (its own process, as `npm start` runs it) under
 * autocannon at concurrency 1, 10 and 50, for a fixed time per target: `/demo` with a valid key,
 * `/demo` with a malformed key (refused without a read), `/healthz` (one eventually consistent
 * GetItem, no authorizer), and a bare strongly consistent GetItem loop against the same DynamoDB
 * Local at the same concurrency (the floor of a valid check). The server's event-loop delay and
 * GC pauses are taken for each run, to explain its maximum latency. After the run, the key's
 * usage count must equal the allowed answers.
 */
const LEVELS = [1, 10, 50] as const;
const SECONDS = Number(process.env.LATCHKEY_LOAD_SECONDS ?? 5);

interface Run {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  ok: number;
  refused: number;
  /** Requests sent, answered or not: a run that stops leaves one in flight per connection, which the server still answers. */
  sent: number;
  serverLoopMaxMs?: number;
  serverGcMaxMs?: number;
  clientLoopMaxMs?: number;
  engineGcMaxMs?: number;
}

/** DynamoDB Local's JVM writes its GC pauses here (unified logging), read after each run. */
const gcLog = join(tmpdir(), `latchkey-load-gc-${process.pid}.log`);
let gcLogRead = 0;
function engineGcPauses(): number[] {
  let text: string;
  try {
    text = readFileSync(gcLog, 'utf8');
  } catch {
    return [];
  }
  const fresh = text.slice(gcLogRead);
  gcLogRead = text.length;
  return [...fresh.matchAll(/Pause.* ([0-9.]+)ms$/gm)].map((m) => Number(m[1]));
}

const serverEntry = fileURLToPath(new URL('load-server.ts', import.meta.url));

/** The local service in its own process (bench/load-server.ts), on the DynamoDB Local named in `env`. */
export function startServer(env: Record<string, string>) {
  const args = process.env.LATCHKEY_LOAD_CPU_PROF
    ? ['--cpu-prof', '--cpu-prof-dir', process.env.LATCHKEY_LOAD_CPU_PROF]
    : [];
  const child = fork(serverEntry, [], {
    env: { ...process.env, ...env },
    execArgv: ['--import', 'tsx', ...args],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = new Promise<{ url: string; tables: { keys: string } }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as never));
    child.once('exit', (code) => reject(new Error(`load server exited with ${code}`)));
  });
  return { child, ready };
}

const stats = (child: ChildProcess) =>
  new Promise<{ eventLoopDelayMaxMs: number; gc: { maxMs: number; count: number; totalMs: number } }>(
    (resolve) => {
      child.once('message', (m) => resolve(m as never));
      child.send('stats');
    },
  );

async function http(url: string, connections: number, headers: Record<string, string> = {}): Promise<Run> {
  const r = await autocannon({ url, connections, duration: SECONDS, headers });
  return {
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.timeouts + r['5xx'],
    ok: r['2xx'],
    refused: r.non2xx,
    sent: r.requests.sent,
  };
}

/** `connections` workers each sending GetItem after GetItem for the run's time. */
async function getItemLoop(doc: DynamoDBDocumentClient, table: string, keyId: string, connections: number) {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await doc.send(new GetCommand({ TableName: table, Key: { keyId }, ConsistentRead: true }));
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    rps: sorted.length / ((performance.now() - started) / 1000),
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1) ?? 0,
    errors,
    ok: sorted.length,
    refused: 0,
    sent: sorted.length + errors,
  } satisfies Run;
}

export async function benchLoad(): Promise<Record<string, number>> {
  // The engine's JVM reads JAVA_TOOL_OPTIONS: its GC pauses are part of what a check waits for.
  const javaOptions = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = `${javaOptions ?? ''} -Xlog:gc:file=${gcLog}`.trim();
  const dynamo = await startDynamoLocal({ dbPath: undefined, accessKeyId: 'local' });
  if (javaOptions === undefined) delete process.env.JAVA_TOOL_OPTIONS;
  else process.env.JAVA_TOOL_OPTIONS = javaOptions;
  const adminToken = `load-admin-${randomBytes(16).toString('hex')}`;
  const server = startServer({
    LATCHKEY_DYNAMODB_ENDPOINT: dynamo.endpoint,
    LATCHKEY_ADMIN_TOKEN: adminToken,
    LATCHKEY_USAGE_FLUSH_SECONDS: process.env.LATCHKEY_LOAD_FLUSH_SECONDS ?? '1',
  });
  const client = localClient(dynamo.endpoint, 'local');
  const doc = DynamoDBDocumentClient.from(client);
  try {
    const { url, tables } = await server.ready;
    const api = apiOf(url, adminToken);
    const created = await api('POST', '/v1/keys', { name: 'load test', permissions: ['api:read'] });
    if (created.status !== 201) throw new Error(`create: ${created.status}`);
    const keyId = created.body.key.keyId as string;
    const valid = { authorization: `Bearer ${created.body.secret}` };
    const malformed = { authorization: `Bearer lk_live_${'x'.repeat(60)}` };
    const all = {
      healthz: (c: number) => http(`${url}/healthz`, c),
      valid: (c: number) => http(`${url}/demo/orders`, c, valid),
      malformed: (c: number) => http(`${url}/demo/orders`, c, malformed),
      getItem: (c: number) => getItemLoop(doc, tables.keys, keyId, c),
    } as const;
    // LATCHKEY_LOAD_TARGETS=malformed (say) runs only those, e.g. under LATCHKEY_LOAD_CPU_PROF.
    const only = process.env.LATCHKEY_LOAD_TARGETS?.split(',');
    const targets = Object.entries(all).filter(([name]) => !only || only.includes(name));
    // Warm both sides (JIT, connections, the engine) before anything is measured.
    const warm = await http(`${url}/demo/orders`, 10, valid);
    await getItemLoop(doc, tables.keys, keyId, 10);
    let answered = warm.ok;
    let allowed = warm.sent;
    await stats(server.child);
    engineGcPauses();

    const runs: Record<string, Run> = {};
    // The load generator's own stalls count in the latencies it measures: watched too.
    const clientLoop = monitorEventLoopDelay({ resolution: 1 });
    clientLoop.enable();
    for (const c of LEVELS) {
      for (const [name, run] of targets) {
        clientLoop.reset();
        const result = await run(c);
        const s = await stats(server.child);
        runs[`${name}C${c}`] = {
          ...result,
          serverLoopMaxMs: s.eventLoopDelayMaxMs,
          serverGcMaxMs: s.gc.maxMs,
          clientLoopMaxMs: clientLoop.max / 1e6,
          engineGcMaxMs: Math.max(0, ...engineGcPauses()),
        };
        if (name !== 'valid') continue;
        if (result.refused || result.errors) {
          throw new Error(
            `valid key at concurrency ${c}: ${result.refused} refused, ${result.errors} errors`,
          );
        }
        answered += result.ok;
        allowed += result.sent;
      }
    }
    console.table(
      Object.fromEntries(
        Object.entries(runs).map(([name, r]) => [
          name,
          {
            'req/s': Math.round(r.rps),
            'p50 ms': Number(r.p50.toFixed(1)),
            'p99 ms': Number(r.p99.toFixed(1)),
            'max ms': Math.round(r.max),
            errors: r.errors,
            'server loop max ms': r.serverLoopMaxMs === undefined ? '' : Math.round(r.serverLoopMaxMs),
            'server GC max ms': r.serverGcMaxMs === undefined ? '' : Math.round(r.serverGcMaxMs),
            'generator loop max ms': r.clientLoopMaxMs === undefined ? '' : Math.round(r.clientLoopMaxMs),
            'engine JVM GC max ms': r.engineGcMaxMs === undefined ? '' : Math.round(r.engineGcMaxMs),
          },
        ]),
      ),
    );

    // Usage is flushed every second, off the check path; wait for the count to settle.
    let counted = 0;
    for (let i = 0; i < 30 && counted !== allowed; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const usage = await api('GET', `/v1/keys/${keyId}/usage?days=1`);
      const days = (usage.body.days ?? usage.body.items ?? []) as { allowed: number }[];
      counted = days.reduce((sum, d) => sum + d.allowed, 0);
    }
    console.log(
      `Usage: ${counted} allowed counted; the server allowed ${allowed} requests (${answered} answers read by autocannon, and the ${allowed - answered} in flight when a run stopped, which the server answered after autocannon hung up).`,
    );

    if (counted !== allowed) {
      console.error(`FAILED: the usage count (${counted}) is not the number of allowed answers (${allowed})`);
      process.exitCode = 1;
    }
    const figures: Record<string, number> = {
      loadAllowedAnswers: allowed,
      loadUsageAllowedCounted: counted,
      loadUsageCountMatchesAllowed: counted === allowed ? 1 : 0,
    };
    for (const c of only ? [] : LEVELS) {
      const [v, h, m, g] = ['valid', 'healthz', 'malformed', 'getItem'].map(
        (n) => runs[`${n}C${c}`] as Run,
      ) as [Run, Run, Run, Run];
      Object.assign(figures, {
        [`loadValidRpsC${c}`]: Math.round(v.rps),
        [`loadValidP50MsC${c}`]: v.p50,
        [`loadValidP99MsC${c}`]: v.p99,
        [`loadValidMaxMsC${c}`]: Math.round(v.max),
        [`loadValidErrorsC${c}`]: v.errors,
        [`loadValidServerLoopMaxMsC${c}`]: Math.round(v.serverLoopMaxMs ?? 0),
        [`loadValidEngineGcMaxMsC${c}`]: Math.round(v.engineGcMaxMs ?? 0),
        [`loadGetItemMaxMsC${c}`]: Math.round(g.max),
        [`loadHealthzRpsC${c}`]: Math.round(h.rps),
        [`loadMalformedRpsC${c}`]: Math.round(m.rps),
        [`loadGetItemRpsC${c}`]: Math.round(g.rps),
        [`loadValidVsHealthzC${c}`]: v.rps / h.rps,
        [`loadValidVsGetItemC${c}`]: v.rps / g.rps,
        [`loadMalformedVsHealthzC${c}`]: m.rps / h.rps,
      });
    }
    return figures;
  } finally {
    client.destroy();
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    await dynamo.stop();
    rmSync(gcLog, { force: true });
  }
}
