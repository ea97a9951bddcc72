import type { z } from 'zod';
import { DAY_MS, effectiveStatus, type StoredStatus } from '#domain/keys/key.ts';
import { InvalidCursorError, type UsageDay } from '#domain/shared/ports.ts';
import type { usageOverviewItemSchema, usageOverviewSchema } from './usage-answers.ts';
import { USAGE_DAYS_KEPT, usageSeries, usageWindow } from './usage-window.ts';

/** One key's usage row of one UTC day, as the by-day index holds it. */
export interface UsageDayRow {
  readonly keyId: string;
  readonly day: string;
  readonly allowed: number;
  readonly refused: number;
}

/** What the overview shows of a key: read by key ID for the keys on the page only. */
export interface OverviewKey {
  readonly keyId: string;
  readonly name: string;
  readonly owner: string;
  readonly status: StoredStatus;
  readonly expiresAt: string | null;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly rotatedFrom?: string;
  readonly rotatedTo?: string;
}

/** The overview's read side: the by-day index and a batch read of keys. Never a scan. */
export interface UsageOverviewSource {
  /** Every key's row of `day`, with the number of queries (pages) it took. */
  dayRows(day: string): Promise<{ rows: UsageDayRow[]; reads: number }>;
  /** The keys that still exist among `keyIds` (at most 100 a batch; the adapter splits). */
  keys(keyIds: readonly string[]): Promise<{ keys: OverviewKey[]; reads: number }>;
}

/** When a key's latest day counts as unusual: at least `factor` × its baseline and `minRequests`. */
export interface UnusualThresholds {
  readonly factor: number;
  readonly minRequests: number;
}

export const DEFAULT_UNUSUAL: UnusualThresholds = { factor: 5, minRequests: 100 };
/** A key younger than this has no baseline and is never flagged. */
export const BASELINE_MIN_AGE_DAYS = 7;

export interface UnusualVerdict {
  readonly unusual: boolean;
  /** Requests (allowed + refused) on the window's latest day. */
  readonly latest: number;
  /** Median of the earlier days of the window, days without traffic as 0; null without a baseline. */
  readonly baseline: number | null;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const requests = (d: UsageDay) => d.allowed + d.refused;

/**
 * Compares the latest day of a key's series (every day of the window, oldest first) with the
 * median of the days before it. A key younger than 7 days on the latest day, or a one-day window,
 * has no baseline. Refused requests count: a leaked key often shows as a wall of refusals.
 */
export function unusualActivity(
  days: readonly UsageDay[],
  createdAt: string | undefined,
  thresholds: UnusualThresholds,
): UnusualVerdict {
  const last = days.at(-1);
  const latest = last ? requests(last) : 0;
  const endOfLatest = last ? Date.parse(`${last.date}T00:00:00Z`) + DAY_MS : 0;
  const oldEnough =
    createdAt !== undefined && endOfLatest - Date.parse(createdAt) >= BASELINE_MIN_AGE_DAYS * DAY_MS;
  if (days.length < 2 || !oldEnough) return { unusual: false, latest, baseline: null };
  const baseline = median(days.slice(0, -1).map(requests));
  return {
    unusual: latest >= thresholds.minRequests && latest >= thresholds.factor * baseline,
    latest,
    baseline,
  };
}

/** Could the latest day be unusual whatever the key's age? Decided from usage alone, before any key read. */
export function mayBeUnusual(days: readonly UsageDay[], thresholds: UnusualThresholds): boolean {
  if (days.length < 2) return false;
  const latest = requests(days.at(-1) as UsageDay);
  return (
    latest >= thresholds.minRequests && latest >= thresholds.factor * median(days.slice(0, -1).map(requests))
  );
}

export interface RankedKey {
  readonly keyId: string;
  readonly total: { allowed: number; refused: number };
  readonly days: UsageDay[];
  readonly requests: number;
}

/** Most active first (allowed + refused), then by key ID so pages are stable. */
const byActivity = (a: RankedKey, b: RankedKey) =>
  b.requests - a.requests || (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0);

/** Every key with traffic in the window, ranked, and the window's totals per day and overall. */
export function rankUsage(window: readonly string[], rows: readonly UsageDayRow[]) {
  const byKey = new Map<string, UsageDay[]>();
  for (const row of rows) {
    if (row.allowed + row.refused === 0) continue;
    const list = byKey.get(row.keyId) ?? [];
    list.push({ date: row.day, allowed: row.allowed, refused: row.refused });
    byKey.set(row.keyId, list);
  }
  const ranked: RankedKey[] = [...byKey].map(([keyId, stored]) => {
    const series = usageSeries(window, stored);
    return { keyId, ...series, requests: series.total.allowed + series.total.refused };
  });
  ranked.sort(byActivity);
  const perDay = usageSeries(
    window,
    window.map((date, i) => {
      const day = { date, allowed: 0, refused: 0 };
      for (const r of ranked) {
        day.allowed += (r.days[i] as UsageDay).allowed;
        day.refused += (r.days[i] as UsageDay).refused;
      }
      return day;
    }),
  );
  return { ranked, perDay };
}

export interface OverviewQuery {
  readonly days: number;
  readonly limit: number;
  readonly cursor?: string;
  /** Only the keys flagged unusual. */
  readonly unusual?: boolean;
}

export type OverviewItem = z.output<typeof usageOverviewItemSchema>;
export type UsageOverviewPage = z.output<typeof usageOverviewSchema>;

interface Cursor {
  /** The window's last day, so every page of one listing covers the same days. */
  readonly to: string;
  readonly days: number;
  readonly unusual: boolean;
  /** The last item of the previous page. */
  readonly requests: number;
  readonly keyId: string;
}

/**
 * The usage overview across keys. It reads the by-day index of the usage table (one query per
 * day of the window, more only past 1 MB a day), ranks keys in memory, then reads the page's keys
 * by ID. Its cost follows the keys with traffic in the window, never the size of either table.
 * Pages continue after the previous page's last key in the ranking, over the same days.
 */
export class UsageOverview {
  constructor(
    private readonly deps: {
      readonly source: UsageOverviewSource;
      readonly now: () => Date;
      readonly thresholds: UnusualThresholds;
    },
  ) {}

  async page(query: OverviewQuery): Promise<UsageOverviewPage> {
    const cursor = decodeCursor(query.cursor);
    if (cursor && (cursor.days !== query.days || cursor.unusual !== (query.unusual ?? false))) {
      throw new InvalidCursorError();
    }
    const now = this.deps.now();
    const to = cursor ? new Date(`${cursor.to}T00:00:00Z`) : now;
    const window = usageWindow(query.days, to);
    // A listing's cursor ends on the day the listing began: today, or yesterday once it has run
    // past midnight. Any other `to` is forged, and would read (and cache) days no longer kept.
    if (cursor && !usageWindow(2, now).includes(cursor.to)) {
      throw new InvalidCursorError(
        `cursor's window ends on ${cursor.to}, but a listing's cursor ends today or yesterday (usage is kept ${USAGE_DAYS_KEPT} days); list again without it`,
      );
    }
    const { ranked, perDay } = await this.ranking(window);
    let candidates = ranked;
    if (cursor) {
      const after = { keyId: cursor.keyId, requests: cursor.requests } as RankedKey;
      candidates = ranked.filter((r) => byActivity(r, after) > 0);
    }

    const items: OverviewItem[] = [];
    // Only flagged keys: rank by usage first, then read just the keys that could be unusual.
    const eligible = query.unusual
      ? candidates.filter((r) => mayBeUnusual(r.days, this.deps.thresholds))
      : candidates;
    let rest = eligible;
    while (items.length < query.limit && rest.length > 0) {
      const batch = rest.slice(0, query.unusual ? 100 : query.limit - items.length);
      rest = rest.slice(batch.length);
      const read = await this.deps.source.keys(batch.map((r) => r.keyId));
      const found = new Map(read.keys.map((k) => [k.keyId, k]));
      for (const r of batch) {
        const item = this.item(r, found.get(r.keyId));
        if (query.unusual && !item.unusual) continue;
        if (items.length < query.limit) items.push(item);
      }
    }
    const last = items.at(-1);
    const more = last !== undefined && eligible.some((r) => byActivity(r, rankOf(last)) > 0);
    return {
      window: { days: query.days, from: window[0] as string, to: window.at(-1) as string },
      total: { ...perDay.total, keys: ranked.length },
      series: perDay.days,
      thresholds: { ...this.deps.thresholds, minAgeDays: BASELINE_MIN_AGE_DAYS },
      items,
      nextCursor:
        more && last
          ? encodeCursor({
              to: window.at(-1) as string,
              days: query.days,
              unusual: query.unusual ?? false,
              requests: last.total.allowed + last.total.refused,
              keyId: last.keyId,
            })
          : null,
    };
  }

  /**
   * Keys flagged unusual on each of `ends`' days (the last day of a `days`-day window ending
   * then), with the key read. The days of all the windows are read once.
   */
  async flagged(days: number, ends: readonly Date[]): Promise<{ item: OverviewItem; key: OverviewKey }[][]> {
    const windows = ends.map((end) => usageWindow(days, end));
    const all = [...new Set(windows.flat())].sort();
    const rows = await Promise.all(all.map((day) => this.deps.source.dayRows(day)));
    return Promise.all(
      windows.map(async (window) => {
        const wanted = new Set(window);
        const { ranked } = rankUsage(
          window,
          rows.flatMap((d) => d.rows.filter((r) => wanted.has(r.day))),
        );
        const candidates = ranked.filter((r) => mayBeUnusual(r.days, this.deps.thresholds));
        const out: { item: OverviewItem; key: OverviewKey }[] = [];
        for (let i = 0; i < candidates.length; i += 100) {
          const batch = candidates.slice(i, i + 100);
          const { keys } = await this.deps.source.keys(batch.map((r) => r.keyId));
          const found = new Map(keys.map((k) => [k.keyId, k]));
          for (const r of batch) {
            const key = found.get(r.keyId);
            const item = this.item(r, key);
            if (key && item.unusual) out.push({ item, key });
          }
        }
        return out;
      }),
    );
  }

  private async ranking(window: readonly string[]) {
    const days = await Promise.all(window.map((day) => this.deps.source.dayRows(day)));
    return rankUsage(
      window,
      days.flatMap((d) => d.rows),
    );
  }

  private item(r: RankedKey, key: OverviewKey | undefined): OverviewItem {
    const verdict = unusualActivity(r.days, key?.createdAt, this.deps.thresholds);
    return {
      keyId: r.keyId,
      name: key?.name ?? r.keyId,
      owner: key?.owner ?? null,
      status: key ? effectiveStatus(key, this.deps.now()) : 'deleted',
      total: r.total,
      days: r.days,
      lastUsedAt: key?.lastUsedAt ?? null,
      expiresAt: key?.expiresAt ?? null,
      ...(key?.rotatedFrom ? { rotatedFrom: key.rotatedFrom } : {}),
      ...(key?.rotatedTo ? { rotatedTo: key.rotatedTo } : {}),
      ...verdict,
    };
  }
}

const rankOf = (item: OverviewItem) =>
  ({ keyId: item.keyId, requests: item.total.allowed + item.total.refused }) as RankedKey;

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (raw === undefined) return undefined;
  let c: Partial<Cursor>;
  try {
    c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const valid =
    typeof c === 'object' &&
    c !== null &&
    typeof c.to === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(c.to) &&
    !Number.isNaN(Date.parse(c.to)) &&
    Number.isInteger(c.days) &&
    typeof c.unusual === 'boolean' &&
    Number.isSafeInteger(c.requests) &&
    (c.requests as number) >= 0 &&
    typeof c.keyId === 'string' &&
    c.keyId.length > 0 &&
    c.keyId.length <= 128;
  if (!valid) throw new InvalidCursorError();
  return c as Cursor;
}
