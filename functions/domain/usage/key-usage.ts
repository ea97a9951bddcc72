import { type DayInsight, EMPTY_INSIGHT, mergeInsight, rankedTop, type TopCounts } from './day-insight.ts';
import { latencySummary } from './latency-sketch.ts';
import { usageWindow } from './usage-window.ts';

/** One stored day of a key: what usage counting keeps (day-insight.ts). */
export interface StoredDay extends DayInsight {
  readonly date: string;
}

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

/** The checks counted over some days, allowed and refused alike. */
export const requestsIn = (days: readonly Pick<DayInsight, 'allowed' | 'refused'>[]): number =>
  days.reduce((sum, d) => sum + d.allowed + d.refused, 0);

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

/**
 * A key's usage answer (GET /v1/keys/{keyId}/usage and the portal's): the last `days` UTC days to
 * `now`, read from where usage counting keeps them.
 */
export async function keyUsageAnswer(
  key: { readonly keyId: string; readonly lastUsedAt: string | null },
  days: number,
  store: { days(keyId: string, fromDay: string): Promise<readonly StoredDay[]> },
  now: Date,
) {
  const window = usageWindow(days, now);
  const usage = keyUsage(window, await store.days(key.keyId, window[0] as string));
  return { keyId: key.keyId, lastUsedAt: key.lastUsedAt, ...usage };
}
