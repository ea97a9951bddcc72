import type { Command } from 'commander';
import { examples } from '../lib/command.ts';
import { Ctx, type Io } from '../lib/context.ts';
import { fields } from '../lib/output.ts';

/** `whoami`: where the CLI points, how it authenticates and who the API says you are. */
export function register(program: Command, io: Io): void {
  const command = program
    .command('whoami')
    .description('show the endpoint, the mode and who you act as')
    .action(async (_flags: unknown, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const api = await ctx.api();
      const body = await api.call((c) => c.whoAmI());
      if (ctx.json) return ctx.printJson(body);
      const target = api.target;
      const auth =
        target.mode === 'local'
          ? `admin token from ${target.tokenSource}`
          : `SigV4, region ${target.region} (from ${target.regionSource})${target.profile ? `, profile ${target.profile}` : ''}`;
      ctx.out(
        fields(ctx.style(), [
          ['Endpoint', api.baseUrl],
          ['Mode', body.mode],
          ['Actor', body.actor],
          ['Auth', auth],
        ]),
      );
    });
  examples(
    command,
    'latchkey whoami',
    'latchkey whoami --endpoint https://abc123.execute-api.eu-west-1.amazonaws.com/v1',
  );
}
