import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

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
