import { CommanderError } from 'commander';

/**
 * Every failure the CLI reports, typed by whose fault it is. The exit code of each class is
 * decided here and nowhere else: 1 the API refused (4xx), 2 a usage error, 3 a server or
 * network failure.
 */
export const EXIT = { ok: 0, refused: 1, usage: 2, failure: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What went wrong, in words, with the lines to show under it (the API's details, a hint). */
export abstract class CliError extends Error {
  abstract readonly exitCode: ExitCode;
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/** The command line is wrong, or something it needs (a token, a region, credentials) is missing. */
export class UsageError extends CliError {
  override name = 'UsageError';
  readonly exitCode = EXIT.usage;
}

/** The user answered no to a confirmation; nothing was changed. */
export class Cancelled extends CliError {
  override name = 'Cancelled';
  readonly exitCode = EXIT.usage;
}

/** The API answered 4xx, or (for verify and leak report) judged the secret not valid. */
export class ApiRefusal extends CliError {
  override name = 'ApiRefusal';
  readonly exitCode = EXIT.refused;
}

/**
 * `doctor` found a broken link: it ran, and its answer is no, as `verify`'s for a refused secret
 * (the checklist on stdout says which link and how to fix it).
 */
export class CheckFailed extends CliError {
  override name = 'CheckFailed';
  readonly exitCode = EXIT.refused;
}

/** The API answered 5xx, or something other than what it promises. */
export class ServerFailure extends CliError {
  override name = 'ServerFailure';
  readonly exitCode = EXIT.failure;
}

/** Nothing answered: connection refused, DNS, a timeout; or a credential provider failed on the way. */
export class NetworkFailure extends CliError {
  override name = 'NetworkFailure';
  readonly exitCode = EXIT.failure;
}

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  // Help and --version exit 0; a bad flag, a missing argument or a bare group (`latchkey keys`) is usage.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  return EXIT.failure;
}

/**
 * How every error reads on stderr, as gh writes them: a line saying what went wrong, in words
 * (no "error:" prefix, no code), then its details and hints, each indented two spaces. Commander
 * has already printed its own errors the same way (see `usageLines`), so they give none here.
 */
export function errorLines(error: unknown): string[] {
  if (error instanceof CommanderError) return [];
  if (error instanceof CliError) return [error.message, ...error.details.map((d) => `  ${d}`)];
  const message = error instanceof Error ? error.message : String(error);
  return [`latchkey failed unexpectedly: ${message}`];
}

/**
 * Commander's usage errors in the same shape: `error: unknown option '--colr'\n(Did you mean
 * --role?)` becomes the message, the suggestion as a detail, and where the usage is.
 */
export function usageLines(text: string, commandPath: string): string {
  const [first = '', ...rest] = text.trimEnd().split('\n');
  const details = rest.map((line) => line.replace(/^\((.*)\)$/, '$1').replace(/^Did you/, 'did you'));
  const lines = [first.replace(/^error: /, ''), ...details, `see \`${commandPath} --help\``];
  return `${lines.map((line, i) => (i === 0 ? line : `  ${line}`)).join('\n')}\n`;
}
