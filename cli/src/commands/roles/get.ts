import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { roleFields, roleRefArg, roleSubject } from './shared.ts';

/** `roles get NAME`: GET /v1/roles/{name}. */
export function register(roles: Command, io: Io): void {
  const command = roles
    .command('get')
    .alias('show')
    .description('show one role')
    .argument('<name>', 'the role name', roleRefArg)
    .action(async (name: string, _flags: unknown, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const body = await (await ctx.api()).call((c) => c.roles.get(name), roleSubject(name));
      if (ctx.json) ctx.printJson(body);
      else ctx.out(roleFields(ctx.style(), body));
    });
  examples(command, 'latchkey roles get support');
}
