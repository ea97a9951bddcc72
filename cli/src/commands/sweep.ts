import type { SweepEntry, SweepResult } from '@latchkey/client/types';
import type { Command } from 'commander';
import { examples } from '../lib/command.ts';
import { Ctx, type Io } from '../lib/context.ts';
import { paint, table } from '../lib/output.ts';
import { parseTime } from '../lib/parse.ts';

const SECTIONS: [keyof SweepResult, string][] = [
  ['flagged', 'Newly due for rotation'],
  ['reminded', 'Reminded again'],
  ['expiringSoon', 'Expiring (14 and 3 days before)'],
  ['unused', 'Unused'],
  ['disabledUnused', 'Disabled by the policy (unused too long)'],
  ['unusual', "Unusual activity (today or yesterday far above the key's usual day)"],
  ['reconciled', 'Expired (owner slot given back)'],
];

/** `sweep`: POST /v1/rotation/sweep, now or as of another time, for real or as a preview. */
export function register(program: Command, io: Io): void {
  const command = program
    .command('sweep')
    .description('run the rotation sweep now: flag keys due for rotation and send reminders')
    .option('--as-of <time>', 'as of another time: an ISO time or date, or Nd from now', (v) => parseTime(v))
    .option('--dry-run', 'only show what the sweep would do')
    .action(async (flags: { asOf?: string; dryRun?: boolean }, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const body = await (await ctx.api()).call((c) =>
        c.rotation.sweep({ ...(flags.asOf ? { asOf: flags.asOf } : {}), dryRun: flags.dryRun === true }),
      );
      if (ctx.json) return ctx.printJson(body);
      const style = ctx.style();
      ctx.out(`${body.dryRun ? 'Dry run (nothing changed)' : 'Sweep done'} as of ${body.asOf}`);
      for (const [field, title] of SECTIONS) {
        const entries = (body[field] as SweepEntry[] | undefined) ?? [];
        ctx.out(`\n${paint(style, 'bold', title)}: ${entries.length}`);
        if (entries.length > 0) {
          ctx.out(
            table(
              style,
              [
                { header: 'KEY ID' },
                { header: 'NAME', shrink: true },
                { header: 'OWNER', shrink: true },
                { header: field === 'flagged' || field === 'reminded' ? 'DUE' : 'EXPIRES' },
              ],
              entries.map((e) => [
                e.keyId,
                e.name,
                e.owner,
                (field === 'flagged' || field === 'reminded' ? e.rotationDueAt : e.expiresAt) ?? '-',
              ]),
            ),
          );
        }
      }
      if (body.failed)
        ctx.err(
          `warning: ${body.failed} change(s) were undone (events not published); the next sweep retries them`,
        );
    });
  examples(command, 'latchkey sweep', 'latchkey sweep --dry-run --as-of 30d  # what will be due in 30 days');
}
