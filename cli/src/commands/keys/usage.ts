import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { paint, table, time } from '../../lib/output.ts';
import { parsePositiveInt } from '../../lib/parse.ts';
import { keyIdArg, keySubject } from './flags.ts';
import { fetchQuota, quotaLine } from './quota.ts';

const BAR = 30;

/** `keys usage ID`: GET /v1/keys/{keyId}/usage, requests per day, allowed and refused. */
export function register(keys: Command, io: Io): void {
  const command = keys
    .command('usage')
    .description('requests per day with a key, allowed and refused (UTC days, up to 30)')
    .argument('<keyId>', 'the key ID (key_…)', keyIdArg)
    .option('--days <n>', 'how many days back (1-30, default 30)', parsePositiveInt)
    .action(async (keyId: string, flags: { days?: number }, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const body = await (await ctx.api()).call(
        (c) => c.keys.usage(keyId, { days: flags.days }),
        keySubject(keyId),
      );
      if (ctx.json) return ctx.printJson(body);
      const style = ctx.style();
      const peak = Math.max(1, ...body.days.map((d) => d.allowed + d.refused));
      const bar = (allowed: number, refused: number) => {
        const a = Math.round((allowed / peak) * BAR);
        const r = Math.round((refused / peak) * BAR);
        return paint(style, 'green', '█'.repeat(a)) + paint(style, 'red', '█'.repeat(r));
      };
      const rows = body.days.map((d) => [
        d.date,
        String(d.allowed),
        String(d.refused),
        bar(d.allowed, d.refused),
      ]);
      rows.push(['total', String(body.total.allowed), String(body.total.refused), '']);
      ctx.out(
        table(
          style,
          [
            { header: 'DATE' },
            { header: 'ALLOWED', align: 'right' },
            { header: 'REFUSED', align: 'right' },
            { header: '' },
          ],
          rows,
        ),
      );
      ctx.out(`\nLast used: ${time(style, body.lastUsedAt, 'never')}`);
      const quota = quotaLine(style, await fetchQuota(ctx, keyId));
      if (quota) ctx.out(`Quota: ${quota}`);
    });
  examples(
    command,
    'latchkey keys usage key_8fJ2kQ9xW3mN5pR7tV1yZa',
    'latchkey keys usage key_8fJ2kQ9xW3mN5pR7tV1yZa --days 7 --json',
  );
}
