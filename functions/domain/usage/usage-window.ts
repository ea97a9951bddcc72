import { DAY_MS } from '#domain/keys/key.ts';
import type { UsageDay } from '#domain/shared/ports.ts';

/** Days of usage kept per key (by TTL from the start of each UTC day): today and the 29 before. */
export const USAGE_DAYS_KEPT = 30;

/** The UTC days of a usage window that ends today, oldest first (`YYYY-MM-DD`). */
export function usageWindow(days: number, now: Date): string[] {
  const today = Date.parse(now.toISOString().slice(0, 10));
  return Array.from({ length: days }, (_, i) =>
    new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10),
  );
}

/** Every day of the window, days without traffic as zeros, and the window's totals. */
export function usageSeries(window: readonly string[], stored: readonly UsageDay[]) {
  const byDate = new Map(stored.map((d) => [d.date, d]));
  const days = window.map((date) => byDate.get(date) ?? { date, allowed: 0, refused: 0 });
  const total = days.reduce((t, d) => ({ allowed: t.allowed + d.allowed, refused: t.refused + d.refused }), {
    allowed: 0,
    refused: 0,
  });
  return { days, total };
}

export interface DayCount {
  readonly keyId: string;
  readonly day: string;
  allowed: number;
  refused: number;
}

/**
 * Checks added up per key and UTC day, with each key's latest allowed check: what both usage
 * paths write (the local in-memory counter, and usage-ingest from the authorizer's log in AWS).
 */
export class UsageTally {
  private readonly counts = new Map<string, DayCount>();
  private readonly latest = new Map<string, string>();

  add(keyId: string, at: Date, allowed: boolean): void {
    const iso = at.toISOString();
    const day = iso.slice(0, 10);
    const id = `${keyId}#${day}`;
    const c = this.counts.get(id) ?? { keyId, day, allowed: 0, refused: 0 };
    if (allowed) {
      c.allowed++;
      if ((this.latest.get(keyId) ?? '') < iso) this.latest.set(keyId, iso);
    } else c.refused++;
    this.counts.set(id, c);
  }

  get size(): number {
    return this.counts.size;
  }

  days(): DayCount[] {
    return [...this.counts.values()];
  }

  /** Each key's latest allowed check (ISO time). */
  lastUsed(): Map<string, string> {
    return new Map(this.latest);
  }
}

/** One CloudWatch Logs message of the authorizer, when it is a check counted against a key. */
export function checkFromLogLine(message: string, fallbackTime: number) {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  let line: { keyId?: unknown; usage?: unknown; _aws?: { Timestamp?: unknown } };
  try {
    line = JSON.parse(message.slice(start));
  } catch {
    return undefined;
  }
  if (typeof line?.keyId !== 'string' || (line.usage !== 'allowed' && line.usage !== 'refused'))
    return undefined;
  const time = typeof line._aws?.Timestamp === 'number' ? line._aws.Timestamp : fallbackTime;
  return { keyId: line.keyId, at: new Date(time), allowed: line.usage === 'allowed' };
}
