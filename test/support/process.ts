import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** The repository's root folder. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the URL and token once the server says it is running; rejects if it exits first. */
  readonly ready: Promise<{ url: string; token: string }>;
  readonly exited: Promise<number | null>;
}

/**
 * `npm start`, as a user runs it: a separate process with its own embedded DynamoDB Local. It
 * inherits the test run's environment (quiet logs, no metrics) unless `asUser` is set: then it
 * gets only PATH, HOME and `env`, as from a fresh shell.
 */
export function startServerProcess(
  env: Record<string, string>,
  options: { asUser?: boolean } = {},
): ServerProcess {
  const inherited = options.asUser
    ? { PATH: process.env.PATH, HOME: process.env.HOME }
    : { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    cwd: root,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<{ url: string; token: string }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /running at (http:\/\/\S+)/.exec(output)?.[1];
      const token = /Admin token: (\S+)/.exec(output)?.[1];
      if (url && token) resolve({ url, token });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  ready.catch(() => undefined);
  return { child, output: () => output, ready, exited };
}

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command` to its end in `cwd` with exactly `env`: its exit code and what it wrote. */
export function runProcess(
  command: string[],
  options: { cwd: string; env: Record<string, string | undefined> },
): Promise<ProcessResult> {
  const [file, ...args] = command;
  const child = spawn(file as string, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The DynamoDB Local processes of the server whose data is in `dataDir`: none once it has stopped. */
export function engineProcesses(dataDir: string): { pid: number; args: string }[] {
  try {
    return execFileSync('pgrep', ['-af', `dbPath ${dataDir}`], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [pid = '', ...args] = line.split(' ');
        return { pid: Number(pid), args: args.join(' ') };
      });
  } catch {
    return [];
  }
}

/** Makes folders (a server's data, a fake tool) for a test file; they are removed after its tests. */
export function useTempDirs(): (prefix?: string) => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  return async (prefix = 'latchkey-test-') => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}
