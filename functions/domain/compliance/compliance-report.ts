import { z } from 'zod';
import { DAY_MS, effectiveStatus, type KeyRecord } from '#domain/keys/key.ts';
import { environmentSchema, keyTypeSchema } from '#domain/keys/key-answers.ts';
import type { PepperSet } from '#domain/keys/secret-hash.ts';
import { timestamp } from '#domain/shared/answers.ts';
import { disablesUnusedAt } from './policy.ts';

/** What the report reads of each live key (the store reads only these attributes). */
export const LIVE_KEY_FIELDS = [
  'keyId',
  'name',
  'owner',
  'type',
  'status',
  'environment',
  'createdAt',
  'lastUsedAt',
  'expiresAt',
  'rotationDueAt',
  'rotatedTo',
  'rotatedFrom',
  'pepperVersion',
  'unusedDisabledFor',
] as const;
export type LiveKey = Pick<KeyRecord, (typeof LIVE_KEY_FIELDS)[number]>;

/** Reads every live key (not revoked, not expired) once, page by page; the pages are never kept. */
export interface LiveKeySource {
  eachLiveKey(now: Date, visit: (key: LiveKey) => void): Promise<ReportReads>;
}

export const EXPIRING_WITHIN_DAYS = 14;
/** How far ahead the report lists keys the policy's `disableUnusedAfterDays` will disable. */
export const DISABLING_WITHIN_DAYS = 7;
/**
 * A successor a rotation made this recently (the longest grace period) that has not been used
 * yet is new, not "never used": its callers are still moving over from the key it replaces.
 */
export const NEW_SUCCESSOR_DAYS = 7;
const HOUR_MS = 3_600_000;

export const complianceQuery = z.strictObject({
  format: z.enum(['json', 'csv']).optional(),
  unusedDays: z.coerce.number().int().min(1).max(3650).optional(),
});
export type ComplianceQuery = z.infer<typeof complianceQuery>;

/** One key in a section: who holds it and the dates the section is about. */
export const complianceEntrySchema = z
  .object({
    keyId: z.string(),
    name: z.string(),
    owner: z.string(),
    type: keyTypeSchema,
    status: z.enum(['active', 'inactive']).meta({ description: 'Only live keys are reported.' }),
    environment: environmentSchema,
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    expiresAt: timestamp.nullable(),
    rotationDueAt: timestamp,
    pepperVersion: z.string(),
  })
  .meta({ id: 'ComplianceEntry' });
export type ReportEntry = z.output<typeof complianceEntrySchema>;

export const SECTIONS = [
  'rotationOverdue',
  'neverUsed',
  'unused',
  'noExpiry',
  'expiringSoon',
  'disablingSoon',
  'retiringPepper',
] as const;
export const sectionSchema = z.enum(SECTIONS).meta({
  id: 'ComplianceSection',
  description: "A section of the compliance report: one of its lists, and the CSV's `section` column.",
});
export type Section = z.output<typeof sectionSchema>;

/** Each section's day count, by its name in the JSON (the CSV's `days` column). */
export const SECTION_DAYS: Readonly<Record<Section, string | undefined>> = {
  rotationOverdue: 'daysOverdue',
  neverUsed: 'ageDays',
  unused: 'daysUnused',
  noExpiry: undefined,
  expiringSoon: 'daysLeft',
  disablingSoon: 'daysLeft',
  retiringPepper: undefined,
};

const count = z.number().int();
const sectionCounts = z.object({
  liveKeys: count,
  ...Object.fromEntries(SECTIONS.map((section) => [section, count])),
}) as z.ZodObject<Record<'liveKeys' | Section, typeof count>>;
const days = (description: string) => z.number().int().meta({ description });

/** GET /v1/reports/compliance: every live key that needs attention, by section, with counts per owner. */
export const complianceReportSchema = z
  .object({
    generatedAt: timestamp,
    unusedDays: z.number().int().meta({ description: 'Days without use after which a used key is unused.' }),
    expiringWithinDays: z.number().int(),
    currentPepperVersion: z.string(),
    totals: sectionCounts,
    owners: z.array(sectionCounts.extend({ owner: z.string() })),
    pepperVersions: z.array(z.object({ version: z.string(), keys: count, current: z.boolean() })),
    rotationOverdue: z.array(
      complianceEntrySchema.extend({ daysOverdue: days('Days past `rotationDueAt`.') }),
    ),
    neverUsed: z.array(complianceEntrySchema.extend({ ageDays: days('Days since the key was made.') })),
    unused: z.array(complianceEntrySchema.extend({ daysUnused: days('Days since the key was last used.') })),
    noExpiry: z.array(complianceEntrySchema),
    expiringSoon: z.array(
      complianceEntrySchema.extend({
        daysLeft: days('Days until `expiresAt`, rounded up.'),
        hoursLeft: days('Hours until `expiresAt`, rounded up (for a key with a day or two left).'),
      }),
    ),
    disablingSoon: z
      .array(
        complianceEntrySchema.extend({
          disablesAt: timestamp.meta({
            description: 'When the policy disables the key unless it is used first.',
          }),
          daysLeft: days('Days until `disablesAt`, rounded up; 0: at the next sweep.'),
        }),
      )
      .meta({
        description: `Active keys the policy's \`disableUnusedAfterDays\` disables within ${DISABLING_WITHIN_DAYS} days unless used; empty without the rule.`,
      }),
    disableUnusedAfterDays: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The policy's `disableUnusedAfterDays`, or null without the rule." }),
    retiringPepper: z.array(complianceEntrySchema),
    newSuccessors: count.meta({
      description: 'Unused successors of a rotation in the last week: new, so not counted as never used.',
    }),
    reads: z
      .object({ pages: count, items: count, readUnits: z.number() })
      .meta({ description: 'What building the report read.' }),
  })
  .meta({ id: 'ComplianceReport' });
export type ComplianceReport = z.output<typeof complianceReportSchema>;
export type OwnerTotals = ComplianceReport['owners'][number];
/** What building the report read: index pages, items read (expired ones included) and read units. */
export type ReportReads = ComplianceReport['reads'];

const zeroCounts = () => Object.fromEntries(SECTIONS.map((s) => [s, 0])) as Record<Section, number>;

/**
 * The compliance report, built one key at a time: it keeps the findings and the per-owner
 * counts, never the keys it read, so its memory follows what it reports.
 */
export class ComplianceReportBuilder {
  private readonly report: ComplianceReport;
  private readonly owners = new Map<string, OwnerTotals>();
  private readonly versions = new Map<string, number>();

  constructor(
    private readonly now: Date,
    unusedDays: number,
    currentPepperVersion: string,
    private readonly disableUnusedAfterDays?: number,
  ) {
    this.report = {
      generatedAt: now.toISOString(),
      unusedDays,
      expiringWithinDays: EXPIRING_WITHIN_DAYS,
      currentPepperVersion,
      totals: { liveKeys: 0, ...zeroCounts() },
      owners: [],
      pepperVersions: [],
      rotationOverdue: [],
      neverUsed: [],
      unused: [],
      noExpiry: [],
      expiringSoon: [],
      disablingSoon: [],
      disableUnusedAfterDays: disableUnusedAfterDays ?? null,
      retiringPepper: [],
      newSuccessors: 0,
      reads: { pages: 0, items: 0, readUnits: 0 },
    };
  }

  add(key: LiveKey): void {
    const now = this.now.getTime();
    const status = effectiveStatus(key, this.now);
    // Only live keys count: the store filters, and this holds whatever it is given to that.
    if (status !== 'active' && status !== 'inactive') return;
    const r = this.report;
    const entry: ReportEntry = {
      keyId: key.keyId,
      name: key.name,
      owner: key.owner,
      type: key.type,
      status,
      environment: key.environment,
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt ?? null,
      expiresAt: key.expiresAt ?? null,
      rotationDueAt: key.rotationDueAt,
      pepperVersion: key.pepperVersion,
    };
    const totals = this.ownerTotals(key.owner);
    totals.liveKeys++;
    r.totals.liveKeys++;
    const found = (section: Section) => {
      totals[section]++;
      r.totals[section]++;
    };
    const days = (from: number, to: number) => Math.floor((to - from) / DAY_MS);
    // A canary is never used and never rotated by design; it counts only for its pepper version.
    const canary = key.type === 'canary';
    // A superseded key in its grace period is already rotated.
    if (!canary && !key.rotatedTo && Date.parse(key.rotationDueAt) <= now) {
      r.rotationOverdue.push({ ...entry, daysOverdue: days(Date.parse(key.rotationDueAt), now) });
      found('rotationOverdue');
    }
    if (!canary) this.usageAndExpiry(r, key, entry, found, now);
    // By the sweep's own rule; an expired key is no longer active, whatever its stored status.
    const disablesAt =
      status === 'active' && this.disableUnusedAfterDays !== undefined
        ? disablesUnusedAt(key, this.disableUnusedAfterDays)
        : undefined;
    if (disablesAt !== undefined && disablesAt <= now + DISABLING_WITHIN_DAYS * DAY_MS) {
      r.disablingSoon.push({
        ...entry,
        disablesAt: new Date(disablesAt).toISOString(),
        daysLeft: Math.max(0, Math.ceil((disablesAt - now) / DAY_MS)),
      });
      found('disablingSoon');
    }
    this.versions.set(key.pepperVersion, (this.versions.get(key.pepperVersion) ?? 0) + 1);
    if (key.pepperVersion !== r.currentPepperVersion) {
      r.retiringPepper.push(entry);
      found('retiringPepper');
    }
  }

  /** Never used, unused, no expiry, expiring soon: none of them applies to a canary. */
  private usageAndExpiry(
    r: ComplianceReport,
    key: Pick<LiveKey, 'lastUsedAt' | 'createdAt' | 'expiresAt' | 'rotatedFrom'>,
    entry: ReportEntry,
    found: (section: Section) => void,
    now: number,
  ) {
    const days = (from: number, to: number) => Math.floor((to - from) / DAY_MS);
    if (!key.lastUsedAt && key.rotatedFrom && now - Date.parse(key.createdAt) < NEW_SUCCESSOR_DAYS * DAY_MS) {
      r.newSuccessors++;
    } else if (!key.lastUsedAt) {
      r.neverUsed.push({ ...entry, ageDays: days(Date.parse(key.createdAt), now) });
      found('neverUsed');
    } else if (days(Date.parse(key.lastUsedAt), now) >= r.unusedDays) {
      r.unused.push({ ...entry, daysUnused: days(Date.parse(key.lastUsedAt), now) });
      found('unused');
    }
    if (!key.expiresAt) {
      r.noExpiry.push(entry);
      found('noExpiry');
    } else if (Date.parse(key.expiresAt) <= now + EXPIRING_WITHIN_DAYS * DAY_MS) {
      const left = Date.parse(key.expiresAt) - now;
      r.expiringSoon.push({
        ...entry,
        daysLeft: Math.ceil(left / DAY_MS),
        hoursLeft: Math.ceil(left / HOUR_MS),
      });
      found('expiringSoon');
    }
  }

  /** The finished report: the most urgent first in each section, owners and versions in order. */
  build(reads: ReportReads): ComplianceReport {
    const r = this.report;
    const byKey = (a: ReportEntry, b: ReportEntry) =>
      a.owner.localeCompare(b.owner) || a.keyId.localeCompare(b.keyId);
    r.rotationOverdue.sort((a, b) => b.daysOverdue - a.daysOverdue || byKey(a, b));
    r.neverUsed.sort((a, b) => b.ageDays - a.ageDays || byKey(a, b));
    r.unused.sort((a, b) => b.daysUnused - a.daysUnused || byKey(a, b));
    r.noExpiry.sort(byKey);
    r.expiringSoon.sort((a, b) => a.daysLeft - b.daysLeft || byKey(a, b));
    r.disablingSoon.sort((a, b) => a.disablesAt.localeCompare(b.disablesAt) || byKey(a, b));
    r.retiringPepper.sort((a, b) => a.pepperVersion.localeCompare(b.pepperVersion) || byKey(a, b));
    r.owners = [...this.owners.values()].sort((a, b) => a.owner.localeCompare(b.owner));
    if (!this.versions.has(r.currentPepperVersion)) this.versions.set(r.currentPepperVersion, 0);
    r.pepperVersions = [...this.versions.entries()]
      .map(([version, keys]) => ({ version, keys, current: version === r.currentPepperVersion }))
      .sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
    r.reads = reads;
    return r;
  }

  private ownerTotals(owner: string): OwnerTotals {
    let totals = this.owners.get(owner);
    if (!totals) {
      totals = { owner, liveKeys: 0, ...zeroCounts() };
      this.owners.set(owner, totals);
    }
    return totals;
  }
}

export interface ComplianceDeps {
  readonly keys: LiveKeySource;
  readonly peppers: () => Promise<PepperSet>;
  readonly now: () => Date;
  /** Days without use after which a used key is reported unused. @default 90 */
  readonly unusedDays: number;
  /** The policy's `disableUnusedAfterDays`, for the keys it will disable soon. */
  readonly disableUnusedAfterDays?: number;
}

export class ComplianceService {
  constructor(private readonly deps: ComplianceDeps) {}

  async report(options: { unusedDays?: number } = {}): Promise<ComplianceReport> {
    const now = this.deps.now();
    const { currentVersion } = await this.deps.peppers();
    const builder = new ComplianceReportBuilder(
      now,
      options.unusedDays ?? this.deps.unusedDays,
      currentVersion,
      this.deps.disableUnusedAfterDays,
    );
    const reads = await this.deps.keys.eachLiveKey(now, (key) => builder.add(key));
    return builder.build(reads);
  }
}

const CSV_COLUMNS = [
  'section',
  'keyId',
  'name',
  'owner',
  'type',
  'status',
  'environment',
  'createdAt',
  'lastUsedAt',
  'expiresAt',
  'rotationDueAt',
  'pepperVersion',
  'days',
] as const;

/**
 * Where a spreadsheet may start a cell: the start of the field, and after any list separator it
 * might read with (`,` in English locales, `;` in German or French ones, tab, `|`), a line break
 * or a quote (a reader splitting on another separator may open a quoted cell there), blanks
 * after it included. A formula trigger (`=`, `+`, `-`, `@`, tab, CR) there gets a
 * `'` in front, so no cell a reader finds starts a formula, even one that ignores the quotes.
 */
const FORMULA_START = /(?<=(?:^|[,;\t|\r\n"]) *)(?=[=+\-@\t\r])/g;

/**
 * One CSV field (RFC 4180): every text field quoted (quotes doubled) and neutralised, so a name
 * like `x;=cmd|' /C calc'!A0` stays one cell in any locale; numbers as they are; no value, empty.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return `"${String(value).replace(FORMULA_START, "'").replaceAll('"', '""')}"`;
}

/** The report's findings as CSV: one row per key per section, CRLF line ends, a header row. */
export function complianceCsv(report: ComplianceReport): string {
  const rows: string[] = [CSV_COLUMNS.map(csvField).join(',')];
  for (const section of SECTIONS) {
    const daysField = SECTION_DAYS[section];
    for (const entry of report[section] as (ReportEntry & Record<string, unknown>)[]) {
      const row: Record<string, unknown> = { ...entry, section, days: daysField ? entry[daysField] : '' };
      rows.push(CSV_COLUMNS.map((column) => csvField(row[column])).join(','));
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}
