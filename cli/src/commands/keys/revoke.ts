import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { confirm } from '../../lib/confirm.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { keyIdArg, keySubject } from './flags.ts';

export const CONSEQUENCE = 'Applications using this key will stop working.';

/** Asks (unless --yes) before revoking or deleting, naming the key it read first. */
export async function confirmKeyAction(ctx: Ctx, keyId: string, verb: string, yes: boolean | undefined) {
  if (yes) return;
  let label = keyId;
  if (ctx.io.stdin.isTTY) {
    const body = await (await ctx.api()).call((c) => c.keys.get(keyId), keySubject(keyId));
    label = `${body.keyId} (${body.name}, owner ${body.owner})`;
  }
  await confirm(ctx, {
    yes,
    action: `${verb} ${keyId}`,
    question: `${verb[0]?.toUpperCase()}${verb.slice(1)} ${label}?`,
    consequence: CONSEQUENCE,
  });
}

/** `keys revoke ID`: POST /v1/keys/{keyId}/revoke, after a confirmation. */
export function register(keys: Command, io: Io): void {
  const command = keys
    .command('revoke')
    .description('revoke a key now and for good (it stays listed as revoked)')
    .argument('<keyId>', 'the key ID (key_…)', keyIdArg)
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (keyId: string, flags: { yes?: boolean }, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      await confirmKeyAction(ctx, keyId, 'revoke', flags.yes);
      const body = await (await ctx.api()).call((c) => c.keys.revoke(keyId), keySubject(keyId));
      if (ctx.json) ctx.printJson(body);
      else ctx.out(`Revoked ${body.keyId} (${body.name})`);
    });
  examples(
    command,
    'latchkey keys revoke key_8fJ2kQ9xW3mN5pR7tV1yZa  # asks first',
    'latchkey keys revoke key_8fJ2kQ9xW3mN5pR7tV1yZa --yes  # in scripts',
  );
}
