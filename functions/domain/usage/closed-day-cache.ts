import { LRUCache } from 'lru-cache';
import { DAY_MS } from '#domain/keys/key.ts';
import type { UsageDayRow, UsageOverviewSource } from './usage-overview.ts';

/**
 * The overview's reads of closed days, kept in this process for `ttlMs`. A UTC day older than
 * yesterday no longer changes (the local counter flushes within seconds, usage-ingest within
 * minutes of midnight), so a reload or the next page reads only today and yesterday again.
 * Bounded by days held (`maxDays`, a day without rows included) and by rows held (`maxRows`);
 * the least recently read day goes first. Keys are always read fresh.
 */
export class ClosedDayCache implements UsageOverviewSource {
  private readonly days: LRUCache<string, { rows: UsageDayRow[]; at: number }>;

  constructor(
    private readonly source: UsageOverviewSource,
    private readonly options: { ttlMs: number; maxDays: number; maxRows: number; now: () => Date },
  ) {
    this.days = new LRUCache({
      max: options.maxDays,
      maxSize: options.maxRows,
      sizeCalculation: (entry) => Math.max(1, entry.rows.length),
    });
  }

  /** Days held now. */
  get size(): number {
    return this.days.size;
  }

  async dayRows(day: string): Promise<{ rows: UsageDayRow[]; reads: number }> {
    const now = this.options.now().getTime();
    const closed =
      Date.parse(`${day}T00:00:00Z`) + 2 * DAY_MS <= Date.parse(new Date(now).toISOString().slice(0, 10));
    const hit = this.days.get(day);
    if (closed && hit && now - hit.at < this.options.ttlMs) return { rows: hit.rows, reads: 0 };
    const out = await this.source.dayRows(day);
    if (closed && this.options.ttlMs > 0) this.days.set(day, { rows: out.rows, at: now });
    return out;
  }

  keys(keyIds: readonly string[]) {
    return this.source.keys(keyIds);
  }
}
