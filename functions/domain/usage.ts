import { DAY_MS } from './key.ts';
import type { UsageDay } from './ports.ts';

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
