import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** strace's command line that records every connect() and send of a process tree into `traceFile`. */
export const straceCommand = (traceFile: string) => [
  'strace',
  '-f',
  '--seccomp-bpf',
  '-qq',
  '-e',
  'trace=connect,sendto,sendmmsg',
  '-o',
  traceFile,
];

/**
 * Runs a command with nothing but loopback: a fresh network namespace where only `lo` exists,
 * so a call out fails at once with ENETUNREACH while strace still records the attempt. The
 * test itself never sends anything off the machine.
 */
export function inLoopbackOnlyNamespace(
  command: string[],
  options: { cwd: string; env: Record<string, string | undefined>; timeoutMs: number },
) {
  const quoted = command.map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
  const script = `ip link set lo up && exec ${quoted}`;
  return spawnSync('unshare', ['-n', 'sh', '-c', script], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs,
  });
}

/** The tools the trace needs; a clear sentence naming what is missing, or undefined. */
export function missingTracingTools(): string | undefined {
  for (const [tool, args] of [
    ['strace', ['-V']],
    ['unshare', ['--version']],
    ['ip', ['-V']],
  ] as const) {
    if (spawnSync(tool, [...args]).error) {
      return `${tool} is not installed: .ci/run installs it (apt-get install -y strace iproute2 util-linux)`;
    }
  }
  return undefined;
}

const LOOPBACK_V4 = /^127\./;
const LOOPBACK_V6 = /^(::1|::ffff:127\.[\d.]+)$/;

/**
 * Every traced call that tried to reach beyond this machine: a connect() or sendto() to an
 * address that is not loopback or a Unix socket, and any DNS query (port 53, to any address).
 */
export function outboundCalls(traceFile: string): string[] {
  return readFileSync(traceFile, 'utf8')
    .split('\n')
    .filter((line) => /\b(connect|sendto|sendmmsg)\(/.test(line))
    .filter((line) => {
      if (/htons\(53\)/.test(line)) return true;
      if (/sa_family=AF_(UNIX|NETLINK)/.test(line)) return false;
      const v4 = /inet_addr\("([^"]+)"\)/.exec(line)?.[1];
      if (v4 !== undefined) return !LOOPBACK_V4.test(v4);
      const v6 = /inet_pton\(AF_INET6, "([^"]+)"/.exec(line)?.[1];
      if (v6 !== undefined) return !LOOPBACK_V6.test(v6);
      // A send on a connected socket names no address: its connect() was checked above.
      if (!/sa_family=/.test(line)) return false;
      return true;
    });
}
