import { z } from 'zod';
import { type DayInsight, EMPTY_INSIGHT, mergeInsight, rankedTop, type TopCounts } from './day-insight.ts';
import { latencySummary } from './latency-sketch.ts';

/** One stored day of a key: what usage counting keeps (day-insight.ts). */
export interface StoredDay extends DayInsight {
  readonly date: string;
}

const latency = z.object({ p50: z.number(), p99: z.number() }).nullable();
const routeList = z.object({
  top: z.array(z.object({ route: z.string(), requests: z.number().int() })),
  other: z.number().int(),
});
const sourceIpList = z.object({
  top: z.array(z.object({ sourceIp: z.string(), requests: z.number().int() })),
  other: z.number().int(),
});
const counts = {
  allowed: z.number().int(),
  refused: z.number().int(),
  refusals: z.record(z.string(), z.number().int()),
};

/** One day in the answer of GET /v1/keys/{keyId}/usage (and the portal's). */
export const usageDayAnswer = z.object({
  date: z.string(),
  ...counts,
  latencyMs: latency,
  routes: routeList,
  sourceIps: sourceIpList,
});

/**
 * GET /v1/keys/{keyId}/usage: per UTC day (oldest first) and over the window, checks allowed and
 * refused, refusals by code, the latency's p50 and p99 (1% relative accuracy), and the top 20
 * routes and source addresses (the rest as `other`). The window's lists add up the days' lists,
 * so a name counts only on the days it was in that day's top 20.
 */
export const keyUsageAnswer = z.object({
  keyId: z.string(),
  lastUsedAt: z.string().nullable(),
  days: z.array(usageDayAnswer),
  total: z.object(counts),
  latencyMs: latency,
  routes: routeList,
  sourceIps: sourceIpList,
});
export type KeyUsageAnswer = z.infer<typeof keyUsageAnswer>;

const listOf = (counts: TopCounts, name: 'route' | 'sourceIp') => ({
  top: rankedTop(counts).map(([value, requests]) => ({ [name]: value, requests })),
  other: counts.other,
});

const dayAnswer = (date: string, day: DayInsight) => ({
  date,
  allowed: day.allowed,
  refused: day.refused,
  refusals: day.refusals,
  latencyMs: latencySummary(day.latency),
  routes: listOf(day.routes, 'route'),
  sourceIps: listOf(day.sourceIps, 'sourceIp'),
});

/** Every day of the window (days without traffic as zeros) and the window as a whole. */
export function keyUsage(window: readonly string[], stored: readonly StoredDay[]) {
  const byDate = new Map(stored.map((d) => [d.date, d]));
  const days = window.map((date) => byDate.get(date) ?? EMPTY_INSIGHT);
  const whole = days.reduce(mergeInsight, EMPTY_INSIGHT);
  return {
    days: window.map((date, i) => dayAnswer(date, days[i] as DayInsight)),
    total: { allowed: whole.allowed, refused: whole.refused, refusals: whole.refusals },
    latencyMs: latencySummary(whole.latency),
    routes: listOf(whole.routes, 'route'),
    sourceIps: listOf(whole.sourceIps, 'sourceIp'),
  };
}
