import {
  type Bucket,
  type Plans,
  type QuotaThreshold,
  quotaWindow,
  reachedThresholds,
  takeToken,
} from '../functions/domain/plans/plans.ts';

/**
 * The local stand-in for API Gateway's usage plans: per key, a token bucket (the plan's
 * `rateLimit` per second, up to `burstLimit`) and a request count per quota period. In memory:
 * a restart starts every bucket full and every count at 0 (and the threshold notices with them).
 *
 * API Gateway's order: a request over the quota is refused without taking a token; one with no
 * token left is refused without counting against the quota.
 */
export type LimitDecision =
  | {
      readonly allowed: true;
      /** Quota thresholds this request reached first in its period: each is reported once. */
      readonly reached: readonly ThresholdReached[];
    }
  | {
      readonly allowed: false;
      readonly status: 403 | 429;
      readonly message: 'Too Many Requests' | 'Limit Exceeded' | 'Forbidden';
      readonly retryAfterSeconds?: number;
    };

export interface ThresholdReached {
  readonly keyId: string;
  readonly plan: string;
  readonly threshold: QuotaThreshold;
  readonly used: number;
  readonly limit: number;
  readonly period: string;
  readonly periodStart: string;
  readonly resetsAt: string;
}

interface Counter {
  window: string;
  used: number;
  notified: Set<QuotaThreshold>;
}

export class PlanLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly counters = new Map<string, Counter>();

  constructor(
    private readonly plans: Plans,
    private readonly options: { readonly now?: () => number } = {},
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  check(keyId: string, planName: string): LimitDecision {
    const plan = this.plans[planName];
    // As in API Gateway: a key in no usage plan of the stage is refused.
    if (!plan) return { allowed: false, status: 403, message: 'Forbidden' };
    const nowMs = this.now();
    const counter = plan.quota ? this.counter(keyId, planName, nowMs) : undefined;
    if (plan.quota && counter && counter.used >= plan.quota.limit) {
      const resetsAt = quotaWindow(plan.quota.period, new Date(nowMs)).end.getTime();
      return {
        allowed: false,
        status: 429,
        message: 'Limit Exceeded',
        retryAfterSeconds: Math.max(1, Math.ceil((resetsAt - nowMs) / 1000)),
      };
    }
    const bucketKey = `${keyId}\u0000${planName}`;
    const taken = takeToken(this.buckets.get(bucketKey), plan, nowMs);
    this.buckets.set(bucketKey, taken.bucket);
    if (!taken.allowed) {
      return {
        allowed: false,
        status: 429,
        message: 'Too Many Requests',
        retryAfterSeconds: taken.retryAfterSeconds,
      };
    }
    const reached: ThresholdReached[] = [];
    if (plan.quota && counter) {
      counter.used++;
      const window = quotaWindow(plan.quota.period, new Date(nowMs));
      for (const threshold of reachedThresholds(counter.used, plan.quota.limit)) {
        if (counter.notified.has(threshold)) continue;
        counter.notified.add(threshold);
        reached.push({
          keyId,
          plan: planName,
          threshold,
          used: counter.used,
          limit: plan.quota.limit,
          period: plan.quota.period,
          periodStart: window.start.toISOString(),
          resetsAt: window.end.toISOString(),
        });
      }
    }
    return { allowed: true, reached };
  }

  /** A threshold whose event could not be published: the next request of the period reports it again. */
  forget(reached: ThresholdReached): void {
    const counter = this.counters.get(`${reached.keyId}\u0000${reached.plan}`);
    if (counter?.window === reached.periodStart) counter.notified.delete(reached.threshold);
  }

  /** Requests counted against the key's quota in the current period. */
  used(keyId: string, planName: string): number {
    const plan = this.plans[planName];
    if (!plan?.quota) return 0;
    return this.counter(keyId, planName, this.now()).used;
  }

  private counter(keyId: string, planName: string, nowMs: number): Counter {
    const plan = this.plans[planName];
    const window = plan?.quota ? quotaWindow(plan.quota.period, new Date(nowMs)).start.toISOString() : '';
    const id = `${keyId}\u0000${planName}`;
    let counter = this.counters.get(id);
    if (!counter || counter.window !== window) {
      counter = { window, used: 0, notified: new Set() };
      this.counters.set(id, counter);
    }
    return counter;
  }
}
