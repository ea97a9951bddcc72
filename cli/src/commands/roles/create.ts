import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { UsageError } from '../../lib/errors.ts';
import { collect } from '../../lib/parse.ts';
import { roleFields, roleNameArg } from './shared.ts';

/** `roles create NAME`: POST /v1/roles. */
export function register(roles: Command, io: Io): void {
  const command = roles
    .command('create')
    .description('create a custom role')
    .argument('<name>', 'lower-case letters, digits, _ : -', roleNameArg)
    .option(
      '-p, --permission <permission>',
      'a permission the role grants, e.g. orders:read; repeatable',
      collect,
    )
    .option('-d, --description <text>', 'what the role is for')
    .action(async (name: string, flags: { permission?: string[]; description?: string }, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      if (!flags.permission) throw new UsageError('a role grants at least one permission: add --permission');
      const permissions = flags.permission;
      const body = await (await ctx.api()).call((c) =>
        c.roles.create({
          name,
          permissions,
          ...(flags.description === undefined ? {} : { description: flags.description }),
        }),
      );
      if (ctx.json) return ctx.printJson(body);
      ctx.out(`Created role ${body.name}`);
      ctx.out(roleFields(ctx.style(), body));
    });
  examples(
    command,
    'latchkey roles create support --permission tickets:read --permission customers:read -d "Support desk"',
  );
}
