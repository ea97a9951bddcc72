import { describe, expect, it } from 'vitest';
import { ClosedDayCache } from '#domain/usage/closed-day-cache.ts';
import {
  mayBeUnusual,
  median,
  rankUsage,
  type UsageOverviewSource,
  unusualActivity,
} from '#domain/usage/usage-overview.ts';
import { usageWindow } from '#domain/usage/usage-window.ts';

const window = usageWindow(10, new Date('2026-12-01T12:00:00Z'));
const series = (counts: number[]) => window.map((date, i) => ({ date, allowed: counts[i] ?? 0, refused: 0 }));
const old = '2026-10-01T00:00:00.000Z';
const thresholds = { factor: 5, minRequests: 100 };

describe('unusual activity', () => {
  it('is at least factor × the median of the earlier days and at least minRequests', () => {
    const flat = [20, 20, 20, 20, 20, 20, 20, 20, 20];
    expect(unusualActivity(series([...flat, 100]), old, thresholds)).toEqual({
      unusual: true,
      latest: 100,
      baseline: 20,
    });
    expect(unusualActivity(series([...flat, 99]), old, thresholds).unusual).toBe(false);
    expect(unusualActivity(series([...flat.map(() => 30), 149]), old, thresholds).unusual).toBe(false);
    expect(unusualActivity(series([...flat.map(() => 30), 150]), old, thresholds).unusual).toBe(true);
    // Settings move both thresholds.
    expect(unusualActivity(series([...flat, 100]), old, { factor: 6, minRequests: 100 }).unusual).toBe(false);
    expect(
      unusualActivity(series([...flat.map(() => 1), 10]), old, { factor: 5, minRequests: 10 }).unusual,
    ).toBe(true);
  });

  it('counts days without traffic as 0 in the median, and refused requests as requests', () => {
    const days = series([0, 0, 0, 0, 0, 50, 50, 50, 50, 0]).map((d, i) =>
      i === 9 ? { ...d, refused: 120 } : d,
    );
    expect(unusualActivity(days, old, thresholds)).toEqual({ unusual: true, latest: 120, baseline: 0 });
    expect(mayBeUnusual(days, thresholds)).toBe(true);
  });

  it('has no baseline for a key younger than 7 days on the latest day, or a one-day window', () => {
    const spike = series([0, 0, 0, 0, 0, 0, 0, 0, 0, 900]);
    expect(unusualActivity(spike, '2026-11-25T00:00:01.000Z', thresholds)).toEqual({
      unusual: false,
      latest: 900,
      baseline: null,
    });
    expect(unusualActivity(spike, '2026-11-25T00:00:00.000Z', thresholds).unusual).toBe(true);
    expect(unusualActivity(spike.slice(-1), old, thresholds).baseline).toBeNull();
    expect(unusualActivity(spike, undefined, thresholds).unusual).toBe(false);
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([1, 9, 3, 7])).toBe(5);
    expect(median([4])).toBe(4);
  });
});

describe('ranking', () => {
  it('orders by allowed + refused, then key ID, and leaves out keys without traffic', () => {
    const day = window.at(-1) as string;
    const { ranked, perDay } = rankUsage(window, [
      { keyId: 'key_b', day, allowed: 5, refused: 5 },
      { keyId: 'key_a', day, allowed: 10, refused: 0 },
      { keyId: 'key_c', day: window[0] as string, allowed: 11, refused: 0 },
      { keyId: 'key_z', day, allowed: 0, refused: 0 },
    ]);
    expect(ranked.map((r) => r.keyId)).toEqual(['key_c', 'key_a', 'key_b']);
    expect(perDay.total).toEqual({ allowed: 26, refused: 5 });
    expect(perDay.days.at(-1)).toEqual({ date: day, allowed: 15, refused: 5 });
  });
});

describe('the closed-day cache', () => {
  const source = () => {
    const reads: string[] = [];
    let allowed = 1;
    const inner: UsageOverviewSource = {
      async dayRows(day) {
        reads.push(day);
        return { rows: [{ keyId: 'key_a', day, allowed: allowed++, refused: 0 }], reads: 1 };
      },
      async keys() {
        return { keys: [], reads: 1 };
      },
    };
    return { inner, reads };
  };
  let now = Date.parse('2026-12-01T12:00:00Z');
  const clock = () => new Date(now);

  it('serves days older than yesterday from memory until the TTL, and reads today and yesterday every time', async () => {
    const { inner, reads } = source();
    const cache = new ClosedDayCache(inner, { ttlMs: 60_000, maxDays: 31, maxRows: 100, now: clock });
    for (const day of ['2026-11-29', '2026-11-30', '2026-12-01']) await cache.dayRows(day);
    const again = await Promise.all(['2026-11-29', '2026-11-30', '2026-12-01'].map((d) => cache.dayRows(d)));
    expect(reads).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-11-30', '2026-12-01']);
    expect(again[0]).toEqual({
      rows: [{ keyId: 'key_a', day: '2026-11-29', allowed: 1, refused: 0 }],
      reads: 0,
    });
    now += 60_000;
    await cache.dayRows('2026-11-29');
    expect(reads.at(-1)).toBe('2026-11-29');
  });

  it('holds at most maxRows, dropping the oldest days, and nothing with a TTL of 0', async () => {
    const { inner, reads } = source();
    const cache = new ClosedDayCache(inner, { ttlMs: 60_000, maxDays: 31, maxRows: 2, now: clock });
    for (const day of ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-20', '2026-11-22'])
      await cache.dayRows(day);
    expect(reads).toEqual(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-20']);
    const off = source();
    const none = new ClosedDayCache(off.inner, { ttlMs: 0, maxDays: 31, maxRows: 100, now: clock });
    await none.dayRows('2026-11-20');
    await none.dayRows('2026-11-20');
    expect(off.reads).toHaveLength(2);
  });

  it('is bounded by entries: days without rows count, and the least recently read go first', async () => {
    const reads: string[] = [];
    const empty: UsageOverviewSource = {
      async dayRows(day) {
        reads.push(day);
        return { rows: [], reads: 1 };
      },
      async keys() {
        return { keys: [], reads: 1 };
      },
    };
    const cache = new ClosedDayCache(empty, { ttlMs: 60_000, maxDays: 3, maxRows: 100, now: clock });
    const days = Array.from({ length: 40 }, (_, i) =>
      new Date(Date.UTC(2026, 9, 1 + i)).toISOString().slice(0, 10),
    );
    for (const day of days) await cache.dayRows(day);
    expect(cache.size).toBe(3);
    reads.length = 0;
    for (const day of days.slice(-3)) await cache.dayRows(day);
    expect(reads).toEqual([]);
    await cache.dayRows(days[0] as string);
    expect(reads).toEqual([days[0]]);
    expect(cache.size).toBe(3);
  });
});
