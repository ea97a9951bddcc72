import { CommanderError } from 'commander';

/**
 * Every failure the CLI reports, typed by whose fault it is. The exit code of each class is
 * decided here and nowhere else: 1 the API refused (4xx), 2 a usage error, 3 a server or
 * network failure.
 */
export const EXIT = { ok: 0, refused: 1, usage: 2, failure: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export abstract class CliError extends Error {
  abstract readonly exitCode: ExitCode;
  constructor(
    readonly code: string,
    message: string,
    /** Lines shown under the error: the API's details, or a hint. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/** The command line is wrong, or something it needs (a token, a region, credentials) is missing. */
export class UsageError extends CliError {
  override name = 'UsageError';
  readonly exitCode = EXIT.usage;
  constructor(message: string, details: readonly string[] = [], code = 'USAGE') {
    super(code, message, details);
  }
}

/** The user answered no to a confirmation; nothing was changed. */
export class Cancelled extends CliError {
  override name = 'Cancelled';
  readonly exitCode = EXIT.usage;
  constructor(message: string) {
    super('CANCELLED', message);
  }
}

/** An answer of the API's that the CLI reports: its HTTP status, code, message and details. */
abstract class AnsweredError extends CliError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details: readonly string[] = [],
  ) {
    super(code, message, details);
  }
}

/** The API answered 4xx, or (for verify) judged the secret invalid. */
export class ApiRefusal extends AnsweredError {
  override name = 'ApiRefusal';
  readonly exitCode = EXIT.refused;
}

/** The API answered 5xx, or something other than what it promises. */
export class ServerFailure extends AnsweredError {
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
 * The lines written to stderr for an error: `error: CODE: message`, then its details. Commander
 * has already printed its own errors (through the program's outputError), so they give none.
 */
export function errorLines(error: unknown): string[] {
  if (error instanceof CommanderError) return [];
  if (error instanceof CliError) {
    return [`error: ${error.code}: ${error.message}`, ...error.details.map((d) => `  ${d}`)];
  }
  const message = error instanceof Error ? error.message : String(error);
  return [`error: INTERNAL: ${message}`];
}
