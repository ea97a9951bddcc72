import type { EventPage } from '@latchkey/client/types';
import type { Command } from 'commander';
import { examples } from '../lib/command.ts';
import { Ctx, type Io } from '../lib/context.ts';
import { table, time } from '../lib/output.ts';
import { fetchPages, moreHint } from '../lib/paging.ts';
import { parsePositiveInt } from '../lib/parse.ts';

/** `events`: GET /v1/events, the lifecycle events that would go to EventBridge (local mode). */
export function register(program: Command, io: Io): void {
  const command = program
    .command('events')
    .description('lifecycle events, newest first (local mode: what would go to EventBridge)')
    .option('-l, --limit <n>', 'events per page (1-100, default 50)', parsePositiveInt)
    .option('--cursor <cursor>', 'carry on from an earlier page')
    .option('-a, --all', 'every page, following nextCursor')
    .action(async (flags: { limit?: number; cursor?: string; all?: boolean }, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const page = await fetchPages<EventPage>(ctx, {
        path: '/v1/events',
        page: (client, cursor) => client.events.list({ limit: flags.limit, cursor: cursor ?? flags.cursor }),
        all: flags.all,
        noun: 'events',
      });
      if (ctx.json) return ctx.printJson(page);
      const style = ctx.style();
      if (page.items.length === 0) ctx.err('No events yet.');
      else
        ctx.out(
          table(
            style,
            [
              { header: 'WHEN' },
              { header: 'EVENT' },
              { header: 'KEY ID' },
              { header: 'NAME', shrink: true },
              { header: 'OWNER', shrink: true },
              { header: 'ACTOR', shrink: true },
            ],
            page.items.map((e) => [
              time(style, e.time),
              e.detailType,
              e.detail.keyId ?? '-',
              e.detail.name ?? '-',
              e.detail.owner ?? '-',
              e.detail.actor ?? '-',
            ]),
          ),
        );
      moreHint(ctx, page, 'events');
    });
  examples(command, 'latchkey events', 'latchkey events --all --json | jq ".items[].detailType"');
}
