import { describe, expect, it } from 'vitest';
import {
  parsePlans,
  planProblems,
  quotaThresholdEvent,
  quotaView,
  quotaWindow,
  reachedThresholds,
  takeToken,
} from '#domain/plans/plans.ts';
import { PlanLimiter } from '../../local/rate-limiter.ts';

const FREE = { rateLimit: 5, burstLimit: 5, quota: { limit: 1000, period: 'DAY' as const } };

describe('plans: the LATCHKEY_PLANS shape', () => {
  it('parses the documented example', () => {
    expect(parsePlans(JSON.stringify({ free: FREE }))).toEqual({ free: FREE });
    expect(parsePlans(undefined)).toEqual({});
    expect(parsePlans('  ')).toEqual({});
  });

  it('names every bad field at once', () => {
    const problems = planProblems({
      Free: FREE,
      pro: { rateLimit: 0, burstLimit: 1.5, quota: { limit: 0, period: 'YEAR' }, extra: 1 },
    });
    expect(problems.join('\n')).toMatch(/Free: must be lower-case/);
    for (const field of [
      'pro.rateLimit',
      'pro.burstLimit',
      'pro.quota.limit',
      'pro.quota.period',
      'pro.extra',
    ])
      expect(problems.some((p) => p.startsWith(`${field}:`))).toBe(true);
    expect(() => parsePlans('{"free":')).toThrow(/LATCHKEY_PLANS is not valid JSON/);
    expect(() => parsePlans('{"free":{"rateLimit":-1,"burstLimit":5}}')).toThrow(
      /LATCHKEY_PLANS is invalid: free\.rateLimit: must be more than 0/,
    );
  });
});

describe('quota windows (UTC)', () => {
  const at = new Date('2026-12-02T15:04:05Z'); // a Wednesday
  it('days run from midnight, weeks from Monday, months from the 1st', () => {
    expect(quotaWindow('DAY', at)).toEqual({
      start: new Date('2026-12-02T00:00:00Z'),
      end: new Date('2026-12-03T00:00:00Z'),
    });
    expect(quotaWindow('WEEK', at)).toEqual({
      start: new Date('2026-11-30T00:00:00Z'),
      end: new Date('2026-12-07T00:00:00Z'),
    });
    expect(quotaWindow('WEEK', new Date('2026-12-06T23:59:59Z')).start).toEqual(
      new Date('2026-11-30T00:00:00Z'),
    );
    expect(quotaWindow('MONTH', at)).toEqual({
      start: new Date('2026-12-01T00:00:00Z'),
      end: new Date('2027-01-01T00:00:00Z'),
    });
  });

  it('shows used, remaining and the reset', () => {
    expect(quotaView('free', FREE, 1200, at)).toEqual({
      plan: 'free',
      limit: 1000,
      period: 'DAY',
      used: 1200,
      remaining: 0,
      resetsAt: '2026-12-03T00:00:00.000Z',
    });
    expect(quotaView('open', { rateLimit: 1, burstLimit: 1 }, 3, at)).toMatchObject({
      limit: null,
      remaining: null,
    });
  });

  it('reaches 80% and 100% at whole requests', () => {
    expect(reachedThresholds(7, 10)).toEqual([]);
    expect(reachedThresholds(8, 10)).toEqual([80]);
    expect(reachedThresholds(10, 10)).toEqual([80, 100]);
    expect(reachedThresholds(4, 5)).toEqual([80]);
    expect(reachedThresholds(1, 1)).toEqual([80, 100]);
  });
});

describe('token bucket', () => {
  it('starts full, empties after the burst, refills at the rate', () => {
    const plan = { rateLimit: 5, burstLimit: 5 };
    let bucket: ReturnType<typeof takeToken>['bucket'] | undefined;
    for (let i = 0; i < 5; i++) {
      const r = takeToken(bucket, plan, 0);
      expect(r.allowed).toBe(true);
      bucket = r.bucket;
    }
    const refused = takeToken(bucket, plan, 0);
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(takeToken(refused.bucket, plan, 199).allowed).toBe(false);
    expect(takeToken(refused.bucket, plan, 200).allowed).toBe(true);
    // Never more than the burst, however long it rested.
    const rested = takeToken(refused.bucket, plan, 3_600_000);
    expect(rested.bucket.tokens).toBe(4);
  });

  it('says when the next token comes at slow rates', () => {
    expect(takeToken({ tokens: 0, at: 0 }, { rateLimit: 0.1, burstLimit: 1 }, 0).retryAfterSeconds).toBe(10);
  });
});

describe('PlanLimiter (the local usage plans), on fake time', () => {
  it('answers 429 "Too Many Requests" past the burst, with Retry-After, and refills', () => {
    let now = 1_000_000;
    const limiter = new PlanLimiter({ free: FREE }, { now: () => now });
    const answers = Array.from({ length: 8 }, () => limiter.check('key_a', 'free'));
    expect(answers.filter((a) => a.allowed)).toHaveLength(5);
    expect(answers[5]).toEqual({
      allowed: false,
      status: 429,
      message: 'Too Many Requests',
      retryAfterSeconds: 1,
    });
    // Keys do not share a bucket.
    expect(limiter.check('key_b', 'free').allowed).toBe(true);
    now += 1000;
    expect(
      Array.from({ length: 6 }, () => limiter.check('key_a', 'free').allowed).filter(Boolean),
    ).toHaveLength(5);
    // Throttled requests do not count against the quota.
    expect(limiter.used('key_a', 'free')).toBe(10);
  });

  it('enforces the quota per period with "Limit Exceeded", reports each threshold once, and resets', () => {
    let now = Date.parse('2026-12-02T23:59:00Z');
    const limiter = new PlanLimiter(
      { tiny: { rateLimit: 1000, burstLimit: 1000, quota: { limit: 10, period: 'DAY' } } },
      { now: () => now },
    );
    const reached: number[] = [];
    for (let i = 0; i < 10; i++) {
      const answer = limiter.check('key_a', 'tiny');
      expect(answer.allowed).toBe(true);
      if (answer.allowed) reached.push(...answer.reached.map((r) => r.threshold));
    }
    expect(reached).toEqual([80, 100]);
    expect(limiter.check('key_a', 'tiny')).toEqual({
      allowed: false,
      status: 429,
      message: 'Limit Exceeded',
      retryAfterSeconds: 60,
    });
    expect(limiter.used('key_a', 'tiny')).toBe(10);
    now = Date.parse('2026-12-03T00:00:00Z');
    expect(limiter.used('key_a', 'tiny')).toBe(0);
    const next = limiter.check('key_a', 'tiny');
    expect(next).toEqual({ allowed: true, reached: [] });
  });

  it('reports a threshold again after its event failed to publish', () => {
    const limiter = new PlanLimiter(
      { tiny: { rateLimit: 1000, burstLimit: 1000, quota: { limit: 5, period: 'MONTH' } } },
      { now: () => 0 },
    );
    const answers = Array.from({ length: 4 }, () => limiter.check('k', 'tiny'));
    const first = answers[3];
    if (!first?.allowed) throw new Error('expected allowed');
    expect(first.reached.map((r) => r.threshold)).toEqual([80]);
    limiter.forget(first.reached[0] as (typeof first.reached)[number]);
    const again = limiter.check('k', 'tiny');
    expect(again.allowed && again.reached.map((r) => r.threshold)).toEqual([80, 100]);
  });

  it('refuses a key whose plan is not configured, as API Gateway refuses a key in no usage plan', () => {
    expect(new PlanLimiter({}).check('k', 'gone')).toEqual({
      allowed: false,
      status: 403,
      message: 'Forbidden',
    });
  });

  it('builds the "API Key Quota Threshold" event without secrets', () => {
    const event = quotaThresholdEvent(
      { keyId: 'key_1', name: 'n', owner: 'o', type: 'service', environment: 'production' },
      {
        plan: 'free',
        threshold: 80,
        used: 800,
        limit: 1000,
        period: 'DAY',
        periodStart: '2026-12-02T00:00:00.000Z',
        resetsAt: '2026-12-03T00:00:00.000Z',
      },
      '2026-12-02T10:00:00.000Z',
    );
    expect(event).toMatchObject({
      source: 'latchkey',
      detailType: 'API Key Quota Threshold',
      detail: { version: '1', keyId: 'key_1', threshold: 80, used: 800, limit: 1000, plan: 'free' },
    });
  });
});
