import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../cli/src/lib/context.ts';
import { run } from '../../cli/src/main.ts';
import { type ProcessResult, root, runProcess } from './process.ts';

export const bin = fileURLToPath(new URL('../../cli/bin/latchkey.js', import.meta.url));

export type CliResult = ProcessResult;

class Capture {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

export interface InProcessOptions {
  env?: Record<string, string | undefined>;
  /** stdout (and stderr) are a terminal of this width. */
  tty?: number;
  stdin?: string;
  stdinTTY?: boolean;
  now?: () => number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** The CLI in this process: the same commander program the bin runs, with captured streams. */
export async function cli(argv: string[], options: InProcessOptions = {}): Promise<CliResult> {
  const stdout = new Capture(options.tty !== undefined, options.tty);
  const stderr = new Capture(options.tty !== undefined, options.tty);
  const stdin = Object.assign(new PassThrough(), { isTTY: options.stdinTTY === true });
  stdin.end(options.stdin ?? '');
  const io: Io = {
    stdout,
    stderr,
    stdin,
    env: options.env ?? {},
    cwd: root,
    now: options.now ?? (() => Date.now()),
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  };
  const code = await run(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The CLI as a user runs it: `node cli/bin/latchkey.js …` in its own process. */
export function spawnCli(
  argv: string[],
  env: Record<string, string | undefined>,
  options: { command?: string[] } = {},
): Promise<CliResult> {
  return runProcess(options.command ?? [process.execPath, bin, ...argv], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
}

/**
 * The CLI on a pseudo-terminal (util-linux `script`), answering `answer` once it asks: what a
 * person at a terminal sees and types.
 */
export function onTerminal(argv: string[], env: Record<string, string>, answer: string): Promise<CliResult> {
  const quoted = [process.execPath, bin, ...argv].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qfec', quoted, '/dev/null'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'dumb', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let answered = false;
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (!answered && stdout.includes('[y/N]')) {
      answered = true;
      child.stdin.write(`${answer}\n`);
    }
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      child.stdin.destroy();
      resolve({ code: code ?? -1, stdout, stderr: '' });
    });
  });
}

export interface CliRunner {
  /** In this process; `options.env` adds to the service's (or overrides it). */
  run(argv: string[], options?: InProcessOptions): Promise<CliResult>;
  /** As a user runs it, in a process of its own. */
  spawn(argv: string[], env?: Record<string, string>): Promise<CliResult>;
  /** On a terminal, answering `answer` to its question. */
  onTerminal(argv: string[], answer: string): Promise<CliResult>;
}

/**
 * The CLI against a running service (one from `useTestService` may be passed before it starts:
 * the service is read at each call).
 */
export function cliAgainst(service: { readonly url: string; readonly adminToken: string }): CliRunner {
  const target = () => ({ LATCHKEY_URL: service.url, LATCHKEY_ADMIN_TOKEN: service.adminToken });
  return {
    run: (argv, options = {}) => cli(argv, { ...options, env: { ...target(), ...options.env } }),
    spawn: (argv, env = {}) => spawnCli(argv, { ...target(), ...env }),
    onTerminal: (argv, answer) => onTerminal(argv, target(), answer),
  };
}
