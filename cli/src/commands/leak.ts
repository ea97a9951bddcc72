import { type Command, Option } from 'commander';
import { examples } from '../lib/command.ts';
import { Ctx, type InStream, type Io } from '../lib/context.ts';
import { ApiRefusal, UsageError } from '../lib/errors.ts';
import { fields, paint, status } from '../lib/output.ts';

interface ReportFlags {
  url?: string;
  action?: 'revoke' | 'disable';
}

async function readAll(stdin: InStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) text += chunk.toString();
  return text.trim();
}

const DONE = { revoke: 'revoked', disable: 'disabled' } as const;

/**
 * `leak report SECRET`: what GitHub's secret scanning report does, for a secret an operator found
 * by hand. A real secret's key is revoked (or disabled) at once, with no question asked: whoever
 * holds the secret already can use it. Not a live secret: exit 1, nothing changed.
 */
function registerReport(leak: Command, io: Io): void {
  const command = leak
    .command('report')
    .description("revoke (or disable) the key of a leaked secret; exit 1 if it is not a live key's secret")
    .argument('[secret]', 'the leaked secret (lk_…); - or none reads it from stdin')
    .option('--url <url>', 'where it was found, kept in the audit record and the event')
    .addOption(
      new Option(
        '--action <action>',
        "what the key gets (default: the service's LATCHKEY_LEAK_ACTION)",
      ).choices(['revoke', 'disable']),
    )
    .action(async (secretArg: string | undefined, flags: ReportFlags, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      let secret = secretArg;
      if (secret === undefined || secret === '-') {
        if (ctx.io.stdin.isTTY) throw new UsageError('give the secret as an argument or on stdin');
        secret = await readAll(ctx.io.stdin);
      }
      if (!secret) throw new UsageError('the secret is empty');
      const body = await (await ctx.api()).call((c) =>
        c.leaks.report({
          secret,
          ...(flags.url ? { url: flags.url } : {}),
          ...(flags.action ? { action: flags.action } : {}),
        }),
      );
      if (ctx.json) ctx.printJson(body);
      const style = ctx.style();
      if (body.label === 'false_positive') {
        if (!ctx.json)
          ctx.out(
            fields(style, [
              ['Leak', paint(style, 'yellow', 'false positive')],
              ['Code', body.code],
            ]),
          );
        throw new ApiRefusal(`not a live Latchkey key's secret (${body.code}); nothing was changed`);
      }
      if (ctx.json) return;
      const done = body.changed ? `${DONE[body.action]} now` : `already ${body.key.status}, nothing changed`;
      ctx.out(
        fields(style, [
          ['Leak', paint(style, 'red', 'true positive')],
          ['Action', `${body.action} (${done})`],
          ['Key ID', body.key.keyId],
          ['Name', body.key.name],
          ['Owner', body.key.owner],
          ['Status', status(style, body.key.status)],
        ]),
      );
    });
  examples(
    command,
    'latchkey leak report lk_live_…  # revokes its key',
    'printenv LEAKED | latchkey leak report --url https://paste.example/abc --action disable',
  );
}

/** The `leak` group. */
export function register(program: Command, io: Io): void {
  const leak = program.command('leak').description('respond to leaked secrets');
  registerReport(leak, io);
  examples(leak, 'latchkey leak report lk_live_…');
}
