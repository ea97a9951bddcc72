import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { UsageError } from '../../lib/errors.ts';
import { collect } from '../../lib/parse.ts';
import { roleFields, roleRefArg, roleSubject } from './shared.ts';

/**
 * `roles update NAME`: PUT /v1/roles/{name}. PUT replaces the role, so what is not given is kept
 * from the role as read, and the write is guarded by its version (If-Match).
 */
export function register(roles: Command, io: Io): void {
  const command = roles
    .command('update')
    .alias('edit')
    .description('change a custom role (what is not given is kept)')
    .argument('<name>', 'the role name', roleRefArg)
    .option(
      '-p, --permission <permission>',
      'a permission the role grants; repeatable (replaces the list)',
      collect,
    )
    .option('-d, --description <text>', 'what the role is for')
    .action(async (name: string, flags: { permission?: string[]; description?: string }, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      if (!flags.permission && flags.description === undefined) {
        throw new UsageError('nothing to change: give --permission or --description');
      }
      const api = await ctx.api();
      const current = await api.call((c) => c.roles.get(name), roleSubject(name));
      const body = await api.call(
        (c) =>
          c.roles.put(
            name,
            {
              description: flags.description ?? current.description,
              permissions: flags.permission ?? current.permissions,
            },
            current.version === undefined ? {} : { ifMatch: `"${current.version}"` },
          ),
        roleSubject(name),
      );
      if (ctx.json) return ctx.printJson(body);
      ctx.out(`Updated role ${body.name}`);
      ctx.out(roleFields(ctx.style(), body));
    });
  examples(command, 'latchkey roles update support --permission tickets:read --permission tickets:write');
}
