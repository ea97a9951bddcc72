import type { ComplianceReport, ComplianceSection } from '@latchkey/client/types';
import type { Command } from 'commander';
import { examples } from '../lib/command.ts';
import { Ctx, type Io } from '../lib/context.ts';
import { type Column, paint, status, table, time } from '../lib/output.ts';
import { parsePositiveInt } from '../lib/parse.ts';

/** A key of one section, with the day count that section adds. */
type EntryOf<S extends ComplianceSection> = ComplianceReport[S][number];

/** A section: its title and the one column that says why the key is in it. */
interface SectionView<S extends ComplianceSection = ComplianceSection> {
  readonly section: S;
  readonly title: (r: ComplianceReport) => string;
  readonly column: Column;
  cell(e: EntryOf<S>): string;
}
const view = <S extends ComplianceSection>(v: SectionView<S>): SectionView<S> => v;

const SECTIONS: readonly SectionView[] = [
  view({
    section: 'rotationOverdue',
    title: () => 'Past their rotation date',
    column: { header: 'OVERDUE', align: 'right' },
    cell: (e) => `${e.daysOverdue} d`,
  }),
  view({
    section: 'neverUsed',
    title: () => 'Never used',
    column: { header: 'AGE', align: 'right' },
    cell: (e) => `${e.ageDays} d`,
  }),
  view({
    section: 'unused',
    title: (r) => `Unused for ${r.unusedDays} days or more`,
    column: { header: 'UNUSED', align: 'right' },
    cell: (e) => `${e.daysUnused} d`,
  }),
  view({
    section: 'noExpiry',
    title: () => 'No expiry',
    column: { header: 'CREATED' },
    cell: (e) => e.createdAt,
  }),
  view({
    section: 'expiringSoon',
    title: (r) => `Expiring within ${r.expiringWithinDays} days`,
    column: { header: 'DAYS LEFT', align: 'right' },
    cell: (e) => String(e.daysLeft),
  }),
  view({
    section: 'disablingSoon',
    // Shown only when the policy sets disableUnusedAfterDays (see the loop below).
    title: (r) =>
      `Disabled by the policy within 7 days unless used (unused ${r.disableUnusedAfterDays} days)`,
    column: { header: 'DAYS LEFT', align: 'right' },
    cell: (e) => String(e.daysLeft),
  }),
  view({
    section: 'retiringPepper',
    title: () => 'On a retiring pepper version',
    column: { header: 'PEPPER' },
    cell: (e) => e.pepperVersion,
  }),
];

const COUNTS: readonly [ComplianceSection, string][] = [
  ['rotationOverdue', 'OVERDUE'],
  ['neverUsed', 'NEVER USED'],
  ['unused', 'UNUSED'],
  ['noExpiry', 'NO EXPIRY'],
  ['expiringSoon', 'EXPIRING'],
  ['retiringPepper', 'OLD PEPPER'],
];

/** `report`: GET /v1/reports/compliance, a table per section, `--json` its body, `--csv` its CSV. */
export function register(program: Command, io: Io): void {
  const command = program
    .command('report')
    .description(
      'the compliance report: keys past rotation, unused, without expiry, expiring, on old peppers',
    )
    .option('--csv', 'print the report as CSV (one row per finding), as the API serves it')
    .option(
      '--unused-days <n>',
      'days without use that make a used key "unused" (default: the server\'s, 90)',
      (v) => parsePositiveInt(v),
    )
    .action(async (flags: { csv?: boolean; unusedDays?: number }, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const query = flags.unusedDays ? { unusedDays: flags.unusedDays } : {};
      const api = await ctx.api();
      if (flags.csv) {
        io.stdout.write(await api.call((c) => c.reports.complianceCsv(query)));
        return;
      }
      const body = await api.call((c) => c.reports.compliance(query));
      if (ctx.json) return ctx.printJson(body);
      const style = ctx.style();
      ctx.out(`Compliance report, ${body.generatedAt}: ${body.totals.liveKeys} live keys`);
      for (const { section, title, column, cell } of SECTIONS) {
        // Only under a policy that disables unused keys.
        if (section === 'disablingSoon' && !body.disableUnusedAfterDays) continue;
        const entries = body[section];
        ctx.out(`\n${paint(style, 'bold', title(body))}: ${entries.length}`);
        if (entries.length === 0) continue;
        ctx.out(
          table(
            style,
            [
              { header: 'KEY ID' },
              { header: 'NAME', shrink: true },
              { header: 'OWNER', shrink: true },
              { header: 'STATUS' },
              { header: 'LAST USED' },
              column,
            ],
            entries.map((e) => [
              e.keyId,
              e.name,
              e.owner,
              status(style, e.status),
              time(style, e.lastUsedAt, 'never'),
              column.header === 'CREATED' ? time(style, cell(e)) : cell(e),
            ]),
          ),
        );
      }
      ctx.out(`\n${paint(style, 'bold', 'Keys per pepper version')}`);
      ctx.out(
        table(
          style,
          [{ header: 'VERSION' }, { header: 'KEYS', align: 'right' }, { header: 'STATE' }],
          body.pepperVersions.map((v) => [v.version, String(v.keys), v.current ? 'current' : 'retiring']),
        ),
      );
      ctx.out(`\n${paint(style, 'bold', 'Totals per owner')}`);
      const totalsRow = (name: string, counts: ComplianceReport['totals']) => [
        name,
        String(counts.liveKeys),
        ...COUNTS.map(([section]) => String(counts[section])),
      ];
      ctx.out(
        table(
          style,
          [
            { header: 'OWNER', shrink: true },
            { header: 'KEYS', align: 'right' },
            ...COUNTS.map(([, header]) => ({ header, align: 'right' as const })),
          ],
          [...body.owners.map((o) => totalsRow(o.owner, o)), totalsRow('(all)', body.totals)],
        ),
      );
    });
  examples(
    command,
    'latchkey report',
    'latchkey report --unused-days 30',
    'latchkey report --csv > compliance.csv',
    'latchkey report --json | jq .totals',
  );
}
