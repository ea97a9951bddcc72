/**
 * Runs inside a loopback-only network namespace: starts `npm start` under strace (the caller's
 * trace file), uses it as a user would — create a key, check it through /demo, run a sweep —,
 * keeps the engine up for 15 s after it is ready (DynamoDB Local's telemetry fires a few seconds
 * after start), then stops it with SIGTERM. Prints one JSON line with what it saw.
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { straceCommand } from './outbound.ts';

const [traceFile, port] = process.argv.slice(2) as [string, string];
const root = fileURLToPath(new URL('../..', import.meta.url));
const admin = `lk_admin_${'0123456789abcdef'.repeat(3)}`;
const [strace, ...traceArgs] = straceCommand(traceFile);
const child = spawn(strace as string, [...traceArgs, process.execPath, '--import', 'tsx', 'local/main.ts'], {
  cwd: root,
  env: { ...process.env, LATCHKEY_MEMORY: '1', PORT: port, LATCHKEY_ADMIN_TOKEN: admin },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
child.stdout.on('data', (c) => {
  output += c;
});
child.stderr.on('data', (c) => {
  output += c;
});
const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
const url = `http://127.0.0.1:${port}`;
const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
const result: Record<string, unknown> = {};
try {
  const deadline = Date.now() + 150_000;
  while (!/running at/.test(output)) {
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const readyAt = Date.now();
  const created = await fetch(`${url}/v1/keys`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'traced' }),
  });
  result.create = created.status;
  const { secret } = (await created.json()) as { secret: string };
  result.demo = (
    await fetch(`${url}/demo/orders`, { headers: { authorization: `Bearer ${secret}` } })
  ).status;
  result.sweep = (await fetch(`${url}/v1/rotation/sweep`, { method: 'POST', headers, body: '{}' })).status;
  await new Promise((r) => setTimeout(r, Math.max(0, 15_000 - (Date.now() - readyAt))));
  result.aliveMs = Date.now() - readyAt;
} catch (error) {
  result.error = String(error);
} finally {
  // The signal goes to the server, strace's child (strace ends when its tracees do), as a user's Ctrl-C would.
  const server = execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
    .trim()
    .split('\n')[0];
  process.kill(Number(server), 'SIGTERM');
  result.exit = await exited;
  console.log(JSON.stringify(result));
}
