import { z } from 'zod';
import { DETAIL_TYPES, type LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import { timestamp } from '#domain/shared/answers.ts';

/**
 * Usage plans: a throttle (steady rate and burst) and an optional quota per day, week or month,
 * the shape API Gateway usage plans take. `LATCHKEY_PLANS` locally and the construct's `plans`
 * prop in AWS both hold a map of plan name → plan in this shape. Pure: no clock, no AWS.
 */
export const QUOTA_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

/** API Gateway's own bounds on a usage plan's name are looser; these keep names safe in IDs and URLs. */
export const planName = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, _ and -');

export const planSchema = z.strictObject({
  /** Steady requests per second. */
  rateLimit: z.number().positive('must be more than 0').max(1_000_000),
  /** Requests that may arrive at once (the bucket's size). */
  burstLimit: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000),
  quota: z
    .strictObject({
      limit: z.number().int('must be a whole number').min(1, 'must be at least 1'),
      period: z.enum(QUOTA_PERIODS, { error: 'must be DAY, WEEK or MONTH' }),
    })
    .optional(),
});
export type Plan = z.infer<typeof planSchema>;

export const plansSchema = z.record(planName, planSchema);
export type Plans = Readonly<Record<string, Plan>>;

/** Every problem with a plans map, as `field: message` lines (empty when the map is valid). */
export function planProblems(value: unknown): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return ['(plans): must be an object of plan name → plan'];
  const problems: string[] = [];
  for (const [name, plan] of Object.entries(value)) {
    const badName = planName.safeParse(name);
    if (!badName.success)
      problems.push(`${name}: ${badName.error.issues[0]?.message ?? 'is not a valid plan name'}`);
    const result = planSchema.safeParse(plan);
    if (result.success) continue;
    for (const issue of result.error.issues) {
      const field = [name, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys')
        problems.push(...issue.keys.map((k) => `${field}.${k}: is not a known field`));
      else problems.push(`${field}: ${issue.message}`);
    }
  }
  return problems;
}

/** Parses `LATCHKEY_PLANS`-style JSON; throws one error that names every bad field. */
export function parsePlans(json: string | undefined, source = 'LATCHKEY_PLANS'): Plans {
  if (json === undefined || json.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`configuration: ${source} is not valid JSON`);
  }
  const problems = planProblems(value);
  if (problems.length) throw new Error(`configuration: ${source} is invalid: ${problems.join('; ')}`);
  return plansSchema.parse(value);
}

/** The UTC quota window `now` falls in: days from midnight, weeks from Monday, months from the 1st. */
export function quotaWindow(period: QuotaPeriod, now: Date): { start: Date; end: Date } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  if (period === 'DAY') return { start: new Date(Date.UTC(y, m, d)), end: new Date(Date.UTC(y, m, d + 1)) };
  if (period === 'WEEK') {
    const sinceMonday = (now.getUTCDay() + 6) % 7;
    return {
      start: new Date(Date.UTC(y, m, d - sinceMonday)),
      end: new Date(Date.UTC(y, m, d - sinceMonday + 7)),
    };
  }
  return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
}

/** What the API shows of a key's quota. */
export const quotaViewSchema = z.object({
  plan: z.string(),
  limit: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'Requests per period; null for a plan without a quota.' }),
  period: z.enum(QUOTA_PERIODS).nullable(),
  used: z.number().int(),
  remaining: z.number().int().nullable(),
  resetsAt: timestamp.nullable(),
});
export type QuotaView = z.output<typeof quotaViewSchema>;

/** GET /v1/plans: the configured plans, and how they reach API Gateway (`local`: the local server counts). */
export const planListSchema = z
  .object({
    mode: z.enum(['local', 'shared', 'perKey']),
    items: z.array(planSchema.extend({ name: planName }).meta({ id: 'UsagePlan' })),
  })
  .meta({ id: 'PlanList' });

export function quotaView(plan: string, settings: Plan, used: number, now: Date): QuotaView {
  if (!settings.quota) return { plan, limit: null, period: null, used, remaining: null, resetsAt: null };
  const { limit, period } = settings.quota;
  return {
    plan,
    limit,
    period,
    used,
    remaining: Math.max(0, limit - used),
    resetsAt: quotaWindow(period, now).end.toISOString(),
  };
}

/** Percentages of a quota at which an "API Key Quota Threshold" event fires, once per period. */
export const QUOTA_THRESHOLDS = [80, 100] as const;
export type QuotaThreshold = (typeof QUOTA_THRESHOLDS)[number];

/** The thresholds that `used` has reached (a request count that reached 80% of 1000 is 800). */
export function reachedThresholds(used: number, limit: number): QuotaThreshold[] {
  return QUOTA_THRESHOLDS.filter((t) => used >= Math.ceil((limit * t) / 100));
}

/** A token bucket: `tokens` left at `at` (ms). Full (burstLimit tokens) when first seen. */
export interface Bucket {
  readonly tokens: number;
  readonly at: number;
}

/**
 * Takes one token if there is one. The bucket refills at `rateLimit` per second up to
 * `burstLimit`; with none left, `retryAfterSeconds` is when the next token arrives (whole
 * seconds, at least 1, as a `Retry-After` header carries).
 */
export function takeToken(
  bucket: Bucket | undefined,
  plan: Pick<Plan, 'rateLimit' | 'burstLimit'>,
  nowMs: number,
): { allowed: boolean; bucket: Bucket; retryAfterSeconds: number } {
  const elapsed = bucket ? Math.max(0, nowMs - bucket.at) / 1000 : 0;
  const tokens = bucket
    ? Math.min(plan.burstLimit, bucket.tokens + elapsed * plan.rateLimit)
    : plan.burstLimit;
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, at: nowMs }, retryAfterSeconds: 0 };
  return {
    allowed: false,
    bucket: { tokens, at: nowMs },
    retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / plan.rateLimit)),
  };
}

/** The key a quota event is about, as the authorizer's context names it. */
export interface QuotaEventKey {
  readonly keyId: string;
  readonly name: string;
  readonly owner: string;
  readonly type: string;
  readonly environment: string;
}

/** "API Key Quota Threshold": a key reached `threshold`% of its plan's quota this period. */
export function quotaThresholdEvent(
  key: QuotaEventKey,
  reached: {
    readonly plan: string;
    readonly threshold: QuotaThreshold;
    readonly used: number;
    readonly limit: number;
    readonly period: string;
    readonly periodStart: string;
    readonly resetsAt: string;
  },
  at: string,
): LatchkeyEvent {
  return {
    source: 'latchkey',
    detailType: DETAIL_TYPES.quotaThreshold,
    detail: {
      version: '1',
      keyId: key.keyId,
      name: key.name,
      owner: key.owner,
      type: key.type,
      environment: key.environment,
      status: 'active',
      at,
      actor: 'latchkey-usage-plans',
      plan: reached.plan,
      threshold: reached.threshold,
      used: reached.used,
      limit: reached.limit,
      period: reached.period,
      periodStart: reached.periodStart,
      resetsAt: reached.resetsAt,
    },
  };
}
