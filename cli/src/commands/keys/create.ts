import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { addCreateFlags, type CreateFlags, createBody } from './flags.ts';
import { printKey, printSecret, warnOnce } from './render.ts';

/** `keys create`: POST /v1/keys; the secret is printed once. */
export function register(keys: Command, io: Io): void {
  const command = addCreateFlags(keys.command('create').description('create a key and print its secret once'))
    .option('-q, --quiet', 'print only the secret (for piping)')
    .action(async (flags: CreateFlags & { quiet?: boolean }, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const api = await ctx.api();
      const body = await api.call((c) => c.keys.create(createBody(flags)));
      if (flags.quiet) {
        ctx.out(body.secret);
      } else if (ctx.json) {
        ctx.printJson(body);
        warnOnce(ctx);
      } else {
        ctx.out(`Created ${body.key.keyId}`);
        printKey(ctx, body.key);
        ctx.out();
        printSecret(ctx, body.secret);
      }
    });
  examples(
    command,
    'latchkey keys create --name "CI deploy" --role read --role support --expires 90d',
    'latchkey keys create -n billing --ip 10.0.0.0/8 --metadata team=billing --expires 2027-06-30T00:00:00Z',
    'latchkey keys create -n ops -o team-ops --organization acme --workspaces "*"',
    'SECRET=$(latchkey keys create -n ci --quiet)  # only the secret on stdout',
  );
}
