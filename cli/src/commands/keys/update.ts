import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { UsageError } from '../../lib/errors.ts';
import { parseVersion } from '../../lib/parse.ts';
import { addEditFlags, type EditFlags, editBody, keyIdArg, keySubject } from './flags.ts';
import { printKey } from './render.ts';

interface UpdateFlags extends EditFlags {
  expiry?: boolean;
  ifMatch?: string;
}

/** `keys update ID`: PATCH /v1/keys/{keyId} with the fields given; `--if-match` guards a stale edit. */
export function register(keys: Command, io: Io): void {
  const command = addEditFlags(
    keys.command('update').alias('edit').description('change a key’s settings'),
    'update',
  )
    .argument('<keyId>', 'the key ID (key_…)', keyIdArg)
    .option('--no-expiry', 'remove the expiry (never expires)')
    .option('--no-description', 'remove the description')
    .option('--no-ip', 'remove the IP allowlist (any address)')
    .option('--no-metadata', 'remove all metadata')
    .option('--no-plan', 'remove the usage plan (no limits)')
    .option(
      '--if-match <version>',
      'only if the key is still at this version (from `keys get`)',
      parseVersion,
    )
    .action(async (keyId: string, flags: UpdateFlags, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      if (flags.expiry === false && flags.expires !== undefined) {
        throw new UsageError('--no-expiry and --expires cannot be used together');
      }
      const body = editBody({ ...flags, expires: flags.expiry === false ? 'never' : flags.expires });
      if (Object.keys(body).length === 0) {
        throw new UsageError(
          'nothing to change: give at least one of the flags in `latchkey keys update --help`',
        );
      }
      const key = await (await ctx.api()).call(
        (c) => c.keys.update(keyId, body, flags.ifMatch ? { ifMatch: flags.ifMatch } : {}),
        keySubject(keyId),
      );
      if (ctx.json) return ctx.printJson(key);
      ctx.out(`Updated ${key.keyId}`);
      printKey(ctx, key);
    });
  examples(
    command,
    'latchkey keys update key_8fJ2kQ9xW3mN5pR7tV1yZa --name "CI deploy (prod)" --role read --role write',
    'latchkey keys update key_8fJ2kQ9xW3mN5pR7tV1yZa --expires 30d --ip 203.0.113.0/24',
    'latchkey keys update key_8fJ2kQ9xW3mN5pR7tV1yZa --no-expiry --if-match 3',
    'latchkey keys update key_8fJ2kQ9xW3mN5pR7tV1yZa --plan pro',
  );
}
