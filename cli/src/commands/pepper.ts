import type { Command } from 'commander';
import { examples } from '../lib/command.ts';
import { Ctx, type Io } from '../lib/context.ts';
import { table, time } from '../lib/output.ts';

/** `pepper list | rotate | retire VERSION`: the pepper's versions, never the pepper. */
export function register(program: Command, io: Io): void {
  const group = program.command('pepper').description('rotate the HMAC pepper and retire old versions');
  examples(group, 'latchkey pepper rotate', 'latchkey pepper list', 'latchkey pepper retire 1');

  const list = group
    .command('list')
    .description('the pepper versions, with how many live keys use each')
    .action(async (_flags: unknown, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const body = await (await ctx.api()).call((c) => c.pepper.list());
      if (ctx.json) return ctx.printJson(body);
      const style = ctx.style();
      ctx.out(
        table(
          style,
          [{ header: 'VERSION' }, { header: 'CURRENT' }, { header: 'LIVE KEYS' }, { header: 'ADDED' }],
          body.versions.map((v) => [
            v.version,
            v.current ? 'yes' : '',
            String(v.liveKeys),
            time(style, v.addedAt),
          ]),
        ),
      );
    });

  examples(list, 'latchkey pepper list', 'latchkey --json pepper list');

  const rotate = group
    .command('rotate')
    .description('add a pepper version: new keys hash under it, old keys keep verifying under theirs')
    .action(async (_flags: unknown, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const body = await (await ctx.api()).call((c) => c.pepper.rotate());
      if (ctx.json) return ctx.printJson(body);
      ctx.out(
        `Pepper rotated: version ${body.currentVersion} is current (${body.previousVersion} still verifies)`,
      );
    });
  examples(rotate, 'latchkey pepper rotate', 'latchkey pepper list');

  const retire = group
    .command('retire')
    .description('remove a pepper version; refused while live keys still use it')
    .argument('<version>', 'the version to retire (see pepper list)')
    .action(async (version: string, _flags: unknown, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const body = await (await ctx.api()).call((c) => c.pepper.retire(version));
      if (ctx.json) return ctx.printJson(body);
      ctx.out(`Pepper version ${body.retired} retired`);
    });
  examples(retire, 'latchkey pepper retire 1');
}
