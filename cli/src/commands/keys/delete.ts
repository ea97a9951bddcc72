import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { keyIdArg, keySubject } from './flags.ts';
import { confirmKeyAction } from './revoke.ts';

/** `keys delete ID`: DELETE /v1/keys/{keyId} (revoking first), after a confirmation. */
export function register(keys: Command, io: Io): void {
  const command = keys
    .command('delete')
    .alias('rm')
    .description('revoke a key and remove its record')
    .argument('<keyId>', 'the key ID (key_…)', keyIdArg)
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (keyId: string, flags: { yes?: boolean }, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      await confirmKeyAction(ctx, keyId, 'delete', flags.yes);
      await (await ctx.api()).call((c) => c.keys.delete(keyId), keySubject(keyId));
      // 204: the API's body is empty, so --json prints nothing.
      if (!ctx.json) ctx.out(`Deleted ${keyId}`);
    });
  examples(
    command,
    'latchkey keys delete key_8fJ2kQ9xW3mN5pR7tV1yZa  # asks first',
    'latchkey keys delete key_8fJ2kQ9xW3mN5pR7tV1yZa --yes',
  );
}
