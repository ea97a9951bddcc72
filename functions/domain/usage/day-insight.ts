import { type CheckRecord, routeOf } from './check-record.ts';
import { addCounts } from './counts.ts';
import { addLatency, type LatencySketch, mergeLatency, sketchOf } from './latency-sketch.ts';

/** Named entries a day keeps of its routes, and of its source addresses; the rest are counted as other. */
export const TOP_ENTRIES = 20;

/** The most frequent names and their counts, and how many checks went to every other name. */
export interface TopCounts {
  readonly top: Readonly<Record<string, number>>;
  readonly other: number;
}

/**
 * One key's day: checks allowed and refused, refusals by code, the top routes and source
 * addresses, and the latency sketch. Bounded whatever the traffic: at most TOP_ENTRIES names in
 * each list, one count per refusal code, and the sketch's buckets (latency-sketch.ts).
 */
export interface DayInsight {
  readonly allowed: number;
  readonly refused: number;
  readonly refusals: Readonly<Record<string, number>>;
  readonly routes: TopCounts;
  /** Checks whose request carried no address (a REST TOKEN authorizer's) are in no list. */
  readonly sourceIps: TopCounts;
  readonly latency: LatencySketch;
}

export const EMPTY_INSIGHT: DayInsight = {
  allowed: 0,
  refused: 0,
  refusals: {},
  routes: { top: {}, other: 0 },
  sourceIps: { top: {}, other: 0 },
  latency: {},
};

const byCount = (a: readonly [string, number], b: readonly [string, number]) =>
  b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Names by count, most first (ties by name), as `[name, count]`. */
export const rankedTop = (counts: TopCounts): [string, number][] => Object.entries(counts.top).sort(byCount);

/**
 * Both lists added up, then cut to the `keep` most frequent names; every other name's count goes
 * to `other`. The total is exact; a name's count is exact from the batch it entered the list (a
 * name that once fell out and came back starts again from its later counts).
 */
export function mergeTop(a: TopCounts, b: TopCounts, keep = TOP_ENTRIES): TopCounts {
  const ranked = Object.entries(addCounts(a.top, b.top)).sort(byCount);
  const dropped = ranked.slice(keep).reduce((sum, [, count]) => sum + count, 0);
  return { top: Object.fromEntries(ranked.slice(0, keep)), other: a.other + b.other + dropped };
}

/** Two parts of one day (what is stored, and a batch) as one, within the bounds. */
export function mergeInsight(a: DayInsight, b: DayInsight): DayInsight {
  return {
    allowed: a.allowed + b.allowed,
    refused: a.refused + b.refused,
    refusals: addCounts(a.refusals, b.refusals),
    routes: mergeTop(a.routes, b.routes),
    sourceIps: mergeTop(a.sourceIps, b.sourceIps),
    latency: mergeLatency(a.latency, b.latency),
  };
}

const bump = (map: Map<string, number>, name: string) => map.set(name, (map.get(name) ?? 0) + 1);

/** One key's day within a counting batch: every name it saw, to be merged into the stored day. */
export class DayInsightBuilder {
  private allowed = 0;
  private refused = 0;
  private readonly refusals = new Map<string, number>();
  private readonly routes = new Map<string, number>();
  private readonly sourceIps = new Map<string, number>();
  private readonly latency = new Map<number, number>();

  add(check: CheckRecord): void {
    if (check.outcome === 'ALLOWED') this.allowed++;
    else {
      this.refused++;
      bump(this.refusals, check.outcome);
    }
    bump(this.routes, routeOf(check));
    if (check.sourceIp) bump(this.sourceIps, check.sourceIp);
    addLatency(this.latency, check.latencyMs);
  }

  /** The batch's part of the day, every name in it (mergeInsight bounds the result). */
  build(): DayInsight {
    return {
      allowed: this.allowed,
      refused: this.refused,
      refusals: Object.fromEntries(this.refusals),
      routes: { top: Object.fromEntries(this.routes), other: 0 },
      sourceIps: { top: Object.fromEntries(this.sourceIps), other: 0 },
      latency: sketchOf(this.latency),
    };
  }
}
