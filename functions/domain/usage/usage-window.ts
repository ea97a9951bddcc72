import { DAY_MS } from '#domain/keys/key.ts';
import type { TripCount, TripSighting, UsageDay } from '#domain/shared/ports.ts';
import { boundedSighting, type CheckRecord, checkRecord, routeOf } from './check-record.ts';
import { type DayInsight, DayInsightBuilder } from './day-insight.ts';
import { newestRows, RECENT_REQUESTS_KEPT, type RequestRow } from './recent-requests.ts';

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

export interface DayBatch {
  readonly keyId: string;
  readonly day: string;
  readonly insight: DayInsight;
}

/** A key's latest allowed check: what the key item keeps as `lastUsedAt`, `lastUsedIp`, `lastUsedAgent`, `lastUsedRoute`. */
export interface LastUse {
  readonly at: string;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly route: string;
}

/**
 * Checks added up per key and UTC day (day-insight.ts), each key's newest requests and latest
 * allowed check, and canaries' trips: what both usage paths write (the local in-memory counter,
 * and usage-ingest from the authorizer's log in AWS), one write per key and kind per batch.
 */
export class UsageTally {
  private readonly counts = new Map<string, { keyId: string; day: string; builder: DayInsightBuilder }>();
  private readonly recent = new Map<string, RequestRow[]>();
  private readonly latest = new Map<string, LastUse>();
  private readonly trips = new Map<string, TripCount>();

  add(check: CheckRecord): void {
    const day = check.at.slice(0, 10);
    const id = `${check.keyId}#${day}`;
    let entry = this.counts.get(id);
    if (!entry) {
      entry = { keyId: check.keyId, day, builder: new DayInsightBuilder() };
      this.counts.set(id, entry);
    }
    entry.builder.add(check);
    const { keyId, ...row } = check;
    const rows = this.recent.get(keyId) ?? [];
    rows.push(row);
    // Kept to the newest RECENT_REQUESTS_KEPT now and then (in the order counted), so a busy batch
    // holds twice that at most.
    this.recent.set(keyId, rows.length >= 2 * RECENT_REQUESTS_KEPT ? newestRows(rows).reverse() : rows);
    if (check.outcome === 'ALLOWED' && (this.latest.get(keyId)?.at ?? '') < check.at) {
      this.latest.set(keyId, {
        at: check.at,
        sourceIp: check.sourceIp,
        userAgent: check.userAgent,
        route: routeOf(check),
      });
    }
  }

  /** A tripped canary: a refused request on its day, and one more trip on its record. */
  trip(check: CheckRecord, sighting: TripSighting): void {
    this.add(check);
    const { keyId, at } = check;
    const last = boundedSighting(sighting);
    const t = this.trips.get(keyId);
    if (!t) {
      this.trips.set(keyId, { keyId, count: 1, firstAt: at, lastAt: at, last });
      return;
    }
    t.count++;
    if (at < t.firstAt) t.firstAt = at;
    if (at >= t.lastAt) {
      t.lastAt = at;
      t.last = last;
    }
  }

  /** Key-days in this batch. */
  get size(): number {
    return this.counts.size;
  }

  days(): DayBatch[] {
    return [...this.counts.values()].map(({ keyId, day, builder }) => ({
      keyId,
      day,
      insight: builder.build(),
    }));
  }

  /** Each key's newest requests of this batch, newest first. */
  requests(): { keyId: string; rows: RequestRow[] }[] {
    return [...this.recent].map(([keyId, rows]) => ({ keyId, rows: newestRows(rows) }));
  }

  tripped(): TripCount[] {
    return [...this.trips.values()];
  }

  lastUseOf(keyId: string): LastUse | undefined {
    return this.latest.get(keyId);
  }

  /** Each key's latest allowed check. */
  lastUsed(): Map<string, LastUse> {
    return new Map(this.latest);
  }
}

/** One check the authorizer (or POST /v1/verify) logged: every check has one; the verification log keeps them all. */
export interface LoggedCheck {
  readonly check: Omit<CheckRecord, 'keyId'> & { readonly keyId: string | null };
  /** Counted against its key: the secret was proven (`usage: allowed|refused`), or it tripped a canary. */
  readonly counted: boolean;
  /** Set when the check tripped a canary (`usage: "tripped"`). */
  readonly trip?: TripSighting;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/**
 * One CloudWatch Logs message of the authorizer or of POST /v1/verify, when it is a check: its
 * EMF line carries the `code` dimension, the request's `method`, `path`, `sourceIp`, `userAgent`
 * and `region`, and `latencyMs`; `keyId` once the secret names one, and `usage` (`allowed`,
 * `refused`, or `tripped` for a canary, with the trip's `sourceIp` and `route`) once the check
 * counts against that key. Bounds are applied again here: a line is text, whoever wrote it.
 */
export function checkFromLogLine(message: string, fallbackTime: number): LoggedCheck | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  let line: Record<string, unknown> & { _aws?: { Timestamp?: unknown } };
  try {
    line = JSON.parse(message.slice(start));
  } catch {
    return undefined;
  }
  if (typeof line !== 'object' || line === null) return undefined;
  const code = str(line.code);
  if (!code) return undefined;
  const at = new Date(typeof line._aws?.Timestamp === 'number' ? line._aws.Timestamp : fallbackTime);
  const keyId = str(line.keyId) ?? null;
  const latency = Number(line.latencyMs);
  const record = checkRecord(
    keyId ?? '',
    at,
    code,
    {
      method: str(line.method) ?? 'UNKNOWN',
      path: str(line.path) ?? 'unknown',
      sourceIp: str(line.sourceIp),
      userAgent: str(line.userAgent),
      region: str(line.region),
    },
    Number.isFinite(latency) ? latency : 0,
  );
  const check = { ...record, keyId };
  if (keyId && line.usage === 'tripped') {
    const sourceIp = str(line.sourceIp);
    return {
      check,
      counted: true,
      trip: { route: str(line.route) ?? 'unknown route', ...(sourceIp ? { sourceIp } : {}) },
    };
  }
  return { check, counted: keyId !== null && (line.usage === 'allowed' || line.usage === 'refused') };
}

/** Adds one logged check to a tally when it counts against its key: a trip, or an allowed or refused check. */
export function tallyCheck(tally: UsageTally, logged: LoggedCheck): void {
  if (!logged.counted || logged.check.keyId === null) return;
  const check = { ...logged.check, keyId: logged.check.keyId };
  if (logged.trip) tally.trip(check, logged.trip);
  else tally.add(check);
}
