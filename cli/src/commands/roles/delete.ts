import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { roleRefArg, roleSubject } from './shared.ts';

/** `roles delete NAME`: DELETE /v1/roles/{name}; the API refuses (409) while keys use it. */
export function register(roles: Command, io: Io): void {
  const command = roles
    .command('delete')
    .alias('rm')
    .description('delete a custom role that no key uses')
    .argument('<name>', 'the role name', roleRefArg)
    .action(async (name: string, _flags: unknown, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      await (await ctx.api()).call((c) => c.roles.delete(name), roleSubject(name));
      if (!ctx.json) ctx.out(`Deleted role ${name}`);
    });
  examples(command, 'latchkey roles delete support');
}
