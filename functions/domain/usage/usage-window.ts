import { DAY_MS } from '#domain/keys/key.ts';
import type { TripCount, TripSighting, UsageDay } from '#domain/shared/ports.ts';

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

export const TRIP_LIMITS = { sourceIp: 45, route: 128 } as const;

export const boundedSighting = (sighting: TripSighting): TripSighting => ({
  ...(sighting.sourceIp ? { sourceIp: sighting.sourceIp.slice(0, TRIP_LIMITS.sourceIp) } : {}),
  route: sighting.route.slice(0, TRIP_LIMITS.route),
});

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
  private readonly trips = new Map<string, TripCount>();

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

  /** A tripped canary: a refused request on its day, and one more trip on its record. */
  trip(keyId: string, at: Date, sighting: TripSighting): void {
    this.add(keyId, at, false);
    const iso = at.toISOString();
    const last = boundedSighting(sighting);
    const t = this.trips.get(keyId);
    if (!t) {
      this.trips.set(keyId, { keyId, count: 1, firstAt: iso, lastAt: iso, last });
      return;
    }
    t.count++;
    if (iso < t.firstAt) t.firstAt = iso;
    if (iso >= t.lastAt) {
      t.lastAt = iso;
      t.last = last;
    }
  }

  get size(): number {
    return this.counts.size;
  }

  days(): DayCount[] {
    return [...this.counts.values()];
  }

  tripped(): TripCount[] {
    return [...this.trips.values()];
  }

  /** Each key's latest allowed check (ISO time). */
  lastUsed(): Map<string, string> {
    return new Map(this.latest);
  }
}

export interface LoggedCheck {
  readonly keyId: string;
  readonly at: Date;
  readonly allowed: boolean;
  /** Set when the check tripped a canary (`usage: "tripped"`). */
  readonly trip?: TripSighting;
}

/**
 * One CloudWatch Logs message of the authorizer, when it is a check counted against a key:
 * `usage` is `allowed`, `refused`, or `tripped` (a canary, with the line's `sourceIp` and `route`).
 */
export function checkFromLogLine(message: string, fallbackTime: number): LoggedCheck | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  let line: {
    keyId?: unknown;
    usage?: unknown;
    sourceIp?: unknown;
    route?: unknown;
    _aws?: { Timestamp?: unknown };
  };
  try {
    line = JSON.parse(message.slice(start));
  } catch {
    return undefined;
  }
  if (typeof line?.keyId !== 'string') return undefined;
  const at = new Date(typeof line._aws?.Timestamp === 'number' ? line._aws.Timestamp : fallbackTime);
  if (line.usage === 'tripped') {
    const route = typeof line.route === 'string' ? line.route : 'unknown route';
    const sourceIp = typeof line.sourceIp === 'string' ? line.sourceIp : undefined;
    return { keyId: line.keyId, at, allowed: false, trip: { route, ...(sourceIp ? { sourceIp } : {}) } };
  }
  if (line.usage !== 'allowed' && line.usage !== 'refused') return undefined;
  return { keyId: line.keyId, at, allowed: line.usage === 'allowed' };
}

/** Adds one logged check to a tally: a trip, or an allowed or refused check. */
export function tallyCheck(tally: UsageTally, check: LoggedCheck): void {
  if (check.trip) tally.trip(check.keyId, check.at, check.trip);
  else tally.add(check.keyId, check.at, check.allowed);
}
