import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { keyIdArg, keySubject } from './flags.ts';
import { fetchQuota, quotaLine } from './quota.ts';
import { printKey } from './render.ts';

/** `keys get ID`: GET /v1/keys/{keyId}. */
export function register(keys: Command, io: Io): void {
  const command = keys
    .command('get')
    .alias('show')
    .description('show one key')
    .argument('<keyId>', 'the key ID (key_…)', keyIdArg)
    .action(async (keyId: string, _flags: unknown, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const body = await (await ctx.api()).call((c) => c.keys.get(keyId), keySubject(keyId));
      if (ctx.json) ctx.printJson(body);
      else {
        printKey(ctx, body);
        const quota = body.plan ? quotaLine(ctx.style(), await fetchQuota(ctx, keyId)) : undefined;
        if (quota) ctx.out(`Quota: ${quota}`);
      }
    });
  examples(
    command,
    'latchkey keys get key_8fJ2kQ9xW3mN5pR7tV1yZa',
    'latchkey keys get key_8fJ2kQ9xW3mN5pR7tV1yZa --json',
  );
}
