import { addCounts } from './counts.ts';

/**
 * A day's check latencies, bounded: a DDSketch-style log histogram (Masson, Rim, Lee, "DDSketch",
 * VLDB 2019) with 1% relative accuracy. Bucket `i` counts the values in (γ^(i-1), γ^i], with
 * γ = (1 + α) / (1 − α) and α = 0.01, and answers a quantile with 2γ^i / (γ + 1), which is
 * within 1% of every value in the bucket, so within 1% of the true quantile. Values are clamped
 * to [0.01 ms, 900 s] (the longest check deadline), so there are at most 917 buckets whatever the
 * traffic; a day of real checks fills a few dozen. Sketches merge by adding buckets, so a day
 * counted in many batches answers exactly as one counted at once.
 */
export type LatencySketch = Readonly<Record<string, number>>;

const ALPHA = 0.01;
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const LOG_GAMMA = Math.log(GAMMA);
export const LATENCY_BOUNDS_MS = { min: 0.01, max: 900_000 } as const;

export const latencyBucket = (ms: number): number =>
  Math.ceil(
    Math.log(Math.min(LATENCY_BOUNDS_MS.max, Math.max(LATENCY_BOUNDS_MS.min, ms))) / LOG_GAMMA - 1e-9,
  );

const bucketValue = (bucket: number) => (2 * GAMMA ** bucket) / (GAMMA + 1);

/** Adds `count` values of `ms` to `sketch` (in place: a tally's own map). */
export function addLatency(sketch: Map<number, number>, ms: number, count = 1): void {
  const bucket = latencyBucket(ms);
  sketch.set(bucket, (sketch.get(bucket) ?? 0) + count);
}

/** Both sketches' buckets added: the sketch of both days' (or batches') values. */
export const mergeLatency = (a: LatencySketch, b: LatencySketch): LatencySketch => addCounts(a, b);

export const sketchOf = (buckets: ReadonlyMap<number, number>): LatencySketch =>
  Object.fromEntries([...buckets].map(([bucket, count]) => [String(bucket), count]));

/**
 * The `q`-quantile by nearest rank (the value at rank ⌈q·n⌉ of n), to four significant digits;
 * null for an empty sketch.
 */
export function latencyQuantile(sketch: LatencySketch, q: number): number | null {
  const buckets = Object.entries(sketch)
    .map(([bucket, count]) => [Number(bucket), count] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= rank) return Number(bucketValue(bucket).toPrecision(4));
  }
  return null;
}

/** The day's p50 and p99, or null when no check was timed. */
export function latencySummary(sketch: LatencySketch): { p50: number; p99: number } | null {
  const p50 = latencyQuantile(sketch, 0.5);
  const p99 = latencyQuantile(sketch, 0.99);
  return p50 === null || p99 === null ? null : { p50, p99 };
}
