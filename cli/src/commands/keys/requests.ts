import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { paint, table, time } from '../../lib/output.ts';
import { parsePositiveInt } from '../../lib/parse.ts';
import { keyIdArg, keySubject } from './flags.ts';

interface RequestsFlags {
  limit?: number;
  cursor?: string;
  csv?: boolean;
}

/** `keys requests ID`: GET /v1/keys/{keyId}/requests, newest first; `--csv` as the API serves it. */
export function register(keys: Command, io: Io): void {
  const command = keys
    .command('requests')
    .description("a key's most recent requests, newest first: outcome, route, address, agent, latency")
    .argument('<keyId>', 'the key ID (key_…)', keyIdArg)
    .option('-l, --limit <n>', 'how many requests (1-1000, default 50)', parsePositiveInt)
    .option('--cursor <cursor>', 'carry on from an earlier page')
    .option('--csv', 'print them as CSV, as the API serves it (formula-safe)')
    .action(async (keyId: string, flags: RequestsFlags, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const api = await ctx.api();
      const query = { limit: flags.limit, cursor: flags.cursor };
      if (flags.csv) {
        io.stdout.write(await api.call((c) => c.keys.requestsCsv(keyId, query), keySubject(keyId)));
        return;
      }
      const body = await api.call((c) => c.keys.requests(keyId, query), keySubject(keyId));
      if (ctx.json) return ctx.printJson(body);
      const style = ctx.style();
      if (body.items.length === 0) ctx.err('No requests in the last 7 days.');
      else
        ctx.out(
          table(
            style,
            [
              { header: 'WHEN' },
              { header: 'OUTCOME' },
              { header: 'REQUEST', shrink: true },
              { header: 'SOURCE IP' },
              { header: 'AGENT', shrink: true },
              { header: 'LATENCY', align: 'right' },
            ],
            body.items.map((r) => [
              time(style, r.at),
              paint(style, r.outcome === 'ALLOWED' ? 'green' : 'red', r.outcome),
              `${r.method} ${r.path}`,
              r.sourceIp ?? '-',
              r.userAgent ?? '-',
              `${r.latencyMs} ms`,
            ]),
          ),
        );
      // On stderr, so stdout stays the data.
      if (body.nextCursor) ctx.err(`Older requests: add --cursor ${body.nextCursor}`);
    });
  examples(
    command,
    'latchkey keys requests key_8fJ2kQ9xW3mN5pR7tV1yZa',
    'latchkey keys requests key_8fJ2kQ9xW3mN5pR7tV1yZa --limit 500 --csv > requests.csv',
  );
}
