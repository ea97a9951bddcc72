import type { Command } from 'commander';
import { type Env, type GlobalOptions, resolveTarget } from './config.ts';
import { ApiClient } from './http.ts';
import type { Style } from './output.ts';

export interface OutStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface InStream extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Everything a command touches outside itself, so that commands also run in-process. */
export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdin: InStream;
  readonly env: Env;
  readonly cwd: string;
  readonly now: () => number;
  readonly fetch: typeof fetch;
  /** Waits (doctor's retries); the process's timers when not given. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What an action gets: the global options, output helpers and the API client. */
export class Ctx {
  private client?: Promise<ApiClient>;

  constructor(
    readonly io: Io,
    readonly options: GlobalOptions,
  ) {}

  static of(io: Io, command: Command): Ctx {
    return new Ctx(io, command.optsWithGlobals<GlobalOptions>());
  }

  get json(): boolean {
    return this.options.json === true;
  }

  /** stdout's style: colour only on a terminal, never with --no-color or NO_COLOR. */
  style(wide = false): Style {
    const tty = this.io.stdout.isTTY === true;
    const noColor = this.options.color === false || (this.io.env.NO_COLOR ?? '') !== '';
    return { tty, color: tty && !noColor, width: this.io.stdout.columns, wide, now: this.io.now() };
  }

  /** stderr's style, for warnings and progress. */
  errStyle(): Style {
    const tty = this.io.stderr.isTTY === true;
    const noColor = this.options.color === false || (this.io.env.NO_COLOR ?? '') !== '';
    return { tty, color: tty && !noColor, now: this.io.now() };
  }

  out(text = ''): void {
    this.io.stdout.write(`${text}\n`);
  }

  err(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /**
   * `--json`: the API's body and nothing else on stdout. Off a terminal it is compact, as the API
   * sent it; on one it is indented for reading.
   */
  printJson(body: unknown): void {
    const text = this.io.stdout.isTTY ? JSON.stringify(body, null, 2) : JSON.stringify(body);
    this.io.stdout.write(`${text}\n`);
  }

  api(): Promise<ApiClient> {
    this.client ??= resolveTarget(this.options, this.io.env, this.io.cwd).then(
      (target) => new ApiClient(target, this.io.fetch),
    );
    return this.client;
  }
}
