import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { list, table } from '../../lib/output.ts';

/** `roles list`: GET /v1/roles, built-in and custom. */
export function register(roles: Command, io: Io): void {
  const command = roles
    .command('list')
    .alias('ls')
    .description('list built-in and custom roles')
    .action(async (_flags: unknown, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const body = await (await ctx.api()).call((c) => c.roles.list());
      if (ctx.json) return ctx.printJson(body);
      const style = ctx.style();
      ctx.out(
        table(
          style,
          [
            { header: 'NAME' },
            { header: 'KIND' },
            { header: 'KEYS', align: 'right' },
            { header: 'PERMISSIONS', shrink: true },
            { header: 'DESCRIPTION', shrink: true },
          ],
          body.items.map((r) => [
            r.name,
            r.builtin ? 'built-in' : 'custom',
            r.keyCount === undefined ? '-' : String(r.keyCount),
            list(r.permissions),
            r.description || '-',
          ]),
        ),
      );
    });
  examples(command, 'latchkey roles list', 'latchkey roles list --json');
}
