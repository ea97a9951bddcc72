import { readFileSync } from 'node:fs';
import { Command, Help } from 'commander';
import { COMMANDS } from './commands/index.ts';
import { commandPath, examples, walk } from './lib/command.ts';
import type { Io } from './lib/context.ts';
import { errorLines, exitCodeOf, usageLines } from './lib/errors.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The whole command tree, writing to `io`; nothing here exits the process. */
export function buildProgram(io: Io): Command {
  const program = new Command('latchkey')
    .description('Manage Latchkey API keys, roles, audit history and rotation from the terminal.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .option(
      '--endpoint <url>',
      'a deployed management API (its stage URL), signed with SigV4 (env LATCHKEY_ENDPOINT); default: the local server',
    )
    .option('--region <region>', 'AWS region for signing (else AWS_REGION, else from the endpoint host)')
    .option('--profile <name>', 'AWS profile for credentials (else AWS_PROFILE, else the default chain)')
    .option('--json', "print the API's JSON answer and nothing else")
    .option('--no-color', 'no colour in output (also when NO_COLOR is set)');
  examples(
    program,
    'latchkey keys create --name "CI deploy" --role read --expires 90d',
    'latchkey keys list --status active --owner alice',
    'latchkey --endpoint https://abc123.execute-api.eu-west-1.amazonaws.com/v1 keys list',
  );
  program.addHelpText(
    'after',
    `
By default latchkey talks to the local server (LATCHKEY_URL, else http://127.0.0.1:8787, else the
URL the running server keeps in .latchkey/server-url) with the admin token from
LATCHKEY_ADMIN_TOKEN or .latchkey/admin-token (LATCHKEY_DATA_DIR).
Exit codes: 0 ok, 1 the API refused (4xx), 2 usage error, 3 server or network failure.`,
  );
  for (const command of COMMANDS) command.register(program, io);
  walk(program, (command) => {
    command
      .exitOverride()
      .configureHelp({
        showGlobalOptions: true,
        // --version belongs to the program, not to every command's list of global options.
        visibleGlobalOptions(this: Help, cmd: Command) {
          return Help.prototype.visibleGlobalOptions.call(this, cmd).filter((o) => o.long !== '--version');
        },
      })
      .configureOutput({
        writeOut: (text) => io.stdout.write(text),
        writeErr: (text) => io.stderr.write(text),
        getOutHelpWidth: () => io.stdout.columns ?? 80,
        getErrHelpWidth: () => io.stderr.columns ?? 80,
        outputError: (text, write) => write(usageLines(text, `latchkey ${commandPath(command)}`.trimEnd())),
      });
  });
  return program;
}

/** Runs one command line (without `node` and the script) and answers its exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    for (const line of errorLines(error)) io.stderr.write(`${line}\n`);
    return exitCodeOf(error);
  }
}

/** The real process's streams and environment. */
export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    now: () => Date.now(),
    fetch: (input, init) => fetch(input, init),
  };
}
