import { DAY_MS } from '#domain/keys/key.ts';
import type { UsageDayRow, UsageOverviewSource } from './usage-overview.ts';

/**
 * The overview's reads of closed days, kept in this process for `ttlMs`. A UTC day older than
 * yesterday no longer changes (the local counter flushes within seconds, usage-ingest within
 * minutes of midnight), so a reload or the next page reads only today and yesterday again.
 * Bounded by rows held: the oldest days go first. Keys are always read fresh.
 */
export class ClosedDayCache implements UsageOverviewSource {
  private readonly days = new Map<string, { rows: UsageDayRow[]; at: number }>();
  private held = 0;

  constructor(
    private readonly source: UsageOverviewSource,
    private readonly options: { ttlMs: number; maxRows: number; now: () => Date },
  ) {}

  async dayRows(day: string): Promise<{ rows: UsageDayRow[]; reads: number }> {
    const now = this.options.now().getTime();
    const closed =
      Date.parse(`${day}T00:00:00Z`) + 2 * DAY_MS <= Date.parse(new Date(now).toISOString().slice(0, 10));
    const hit = this.days.get(day);
    if (closed && hit && now - hit.at < this.options.ttlMs) return { rows: hit.rows, reads: 0 };
    const out = await this.source.dayRows(day);
    if (closed && this.options.ttlMs > 0 && out.rows.length <= this.options.maxRows)
      this.keep(day, out.rows, now);
    return out;
  }

  keys(keyIds: readonly string[]) {
    return this.source.keys(keyIds);
  }

  private keep(day: string, rows: UsageDayRow[], at: number) {
    this.forget(day);
    this.days.set(day, { rows, at });
    this.held += rows.length;
    for (const oldest of [...this.days.keys()].sort()) {
      if (this.held <= this.options.maxRows) break;
      this.forget(oldest);
    }
  }

  private forget(day: string) {
    const entry = this.days.get(day);
    if (!entry) return;
    this.held -= entry.rows.length;
    this.days.delete(day);
  }
}
