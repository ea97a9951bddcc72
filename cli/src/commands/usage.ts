import type { UsageOverview } from '@latchkey/client/types';
import type { Command } from 'commander';
import { examples } from '../lib/command.ts';
import { Ctx, type Io } from '../lib/context.ts';
import { paint, status, table, time } from '../lib/output.ts';
import { fetchPages, moreHint } from '../lib/paging.ts';
import { parsePositiveInt } from '../lib/parse.ts';

const SPARK = '▁▂▃▄▅▆▇█';

/** One character per day, scaled to the key's busiest day. */
function sparkline(days: UsageOverview['items'][number]['days']): string {
  const counts = days.map((d) => d.allowed + d.refused);
  const peak = Math.max(1, ...counts);
  return counts.map((n) => (n === 0 ? ' ' : SPARK[Math.min(7, Math.floor((n / peak) * 7.999))])).join('');
}

/** `usage`: GET /v1/usage, every key with traffic in the window, most active first. */
export function register(program: Command, io: Io): void {
  const command = program
    .command('usage')
    .description('requests per key over the last days, most active first, unusual activity marked')
    .option('--days <n>', 'the window in UTC days (1-30, default 30)', parsePositiveInt)
    .option('-l, --limit <n>', 'keys per page (1-100, default 50)', parsePositiveInt)
    .option('--cursor <cursor>', 'carry on from an earlier page')
    .option('-a, --all', 'every key with traffic, following nextCursor')
    .option('--unusual', 'only keys flagged for unusual activity')
    .action(
      async (
        flags: { days?: number; limit?: number; cursor?: string; all?: boolean; unusual?: boolean },
        cmd: Command,
      ) => {
        const ctx = Ctx.of(io, cmd);
        const page = await fetchPages<UsageOverview>(ctx, {
          path: '/v1/usage',
          page: (client, cursor) =>
            client.usage.overview({
              days: flags.days,
              limit: flags.limit ?? (flags.all ? 100 : undefined),
              cursor: cursor ?? flags.cursor,
              unusual: flags.unusual ? 'true' : undefined,
            }),
          all: flags.all,
        });
        if (ctx.json) return ctx.printJson(page);

        const style = ctx.style();
        const { window, total } = page;
        ctx.out(
          `${window.from} to ${window.to} (${window.days} days): ${total.allowed + total.refused} requests ` +
            `(${total.allowed} allowed, ${total.refused} refused) with ${total.keys} keys`,
        );
        if (page.items.length === 0) {
          ctx.err(
            flags.unusual ? 'No key is flagged for unusual activity.' : 'No key had traffic in this window.',
          );
          return;
        }
        ctx.out('');
        ctx.out(
          table(
            style,
            [
              { header: 'NAME', shrink: true },
              { header: 'KEY ID' },
              { header: 'OWNER', shrink: true },
              { header: 'STATUS' },
              { header: 'REQUESTS', align: 'right' },
              { header: 'REFUSED', align: 'right' },
              { header: 'DAILY' },
              { header: 'LAST USED' },
              { header: '' },
            ],
            page.items.map((i) => [
              i.name,
              i.keyId,
              i.owner ?? '-',
              status(style, i.status),
              String(i.total.allowed + i.total.refused),
              String(i.total.refused),
              sparkline(i.days),
              time(style, i.lastUsedAt, 'never'),
              i.unusual ? paint(style, 'red', `UNUSUAL ${i.latest} today vs ${i.baseline ?? 0}/day`) : '',
            ]),
          ),
        );
        moreHint(ctx, page, 'keys');
      },
    );
  examples(
    command,
    'latchkey usage',
    'latchkey usage --days 7 --unusual',
    'latchkey usage --all --json | jq ".items[] | {name, requests: (.total.allowed + .total.refused)}"',
  );
}
