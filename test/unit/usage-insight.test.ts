import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemSizeBytes } from '#domain/keys/item-size.ts';
import { boundedRequest, CHECK_LIMITS, checkRecord, truncateUtf8 } from '#domain/usage/check-record.ts';
import { EMPTY_INSIGHT, mergeInsight, mergeTop, TOP_ENTRIES } from '#domain/usage/day-insight.ts';
import { keyUsage } from '#domain/usage/key-usage.ts';
import {
  addLatency,
  LATENCY_BOUNDS_MS,
  latencyBucket,
  latencyQuantile,
  mergeLatency,
  sketchOf,
} from '#domain/usage/latency-sketch.ts';
import { RECENT_REQUESTS_KEPT } from '#domain/usage/recent-requests.ts';
import { requestsCsv } from '#domain/usage/requests-api.ts';
import { checkFromLogLine, UsageTally } from '#domain/usage/usage-window.ts';
import { packRecords, verificationRecord } from '#domain/usage/verification-log.ts';
import { REFUSALS } from '#domain/verify/verify.ts';
import { requestsItem } from '#store/dynamo-requests.ts';
import { dayAttributes } from '#store/dynamo-usage.ts';

/** The nearest-rank quantile of `values`: the value at rank ⌈q·n⌉. */
const nearestRank = (values: readonly number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(q * values.length)) - 1] as number;

const DAY = '2026-03-04';
/** Room for one refusal code more than there are today, as long as an outcome may be. */
const ROOM_FOR_A_NEW_CODE = 'X'.repeat(CHECK_LIMITS.outcome);
const check = (overrides: Partial<Parameters<typeof checkRecord>[3]> & { at?: string; code?: string } = {}) =>
  checkRecord(
    'key_a',
    new Date(overrides.at ?? `${DAY}T10:00:00.000Z`),
    overrides.code ?? 'VALID',
    { method: 'GET', path: '/orders/{id}', sourceIp: '203.0.113.1', userAgent: 'curl/8', ...overrides },
    1.5,
  );

describe('the latency sketch', () => {
  it('answers any quantile within 1% of the true nearest-rank value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 500 }),
        fc.constantFrom(0.5, 0.9, 0.99),
        (values, q) => {
          const sketch = new Map<number, number>();
          for (const v of values) addLatency(sketch, v);
          const truth = nearestRank(values, q);
          const estimate = latencyQuantile(sketchOf(sketch), q) as number;
          // 1% from the sketch, and 0.05% from answering with four significant digits.
          expect(Math.abs(estimate - truth) / truth).toBeLessThanOrEqual(0.0105);
        },
      ),
    );
  });

  it('merges batches exactly as if counted at once, and stays bounded at any value', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7.3) % 400);
    const whole = new Map<number, number>();
    const [a, b] = [new Map<number, number>(), new Map<number, number>()];
    values.forEach((v, i) => {
      addLatency(whole, v);
      addLatency(i % 2 ? a : b, v);
    });
    expect(mergeLatency(sketchOf(a), sketchOf(b))).toEqual(sketchOf(whole));
    const buckets = latencyBucket(LATENCY_BOUNDS_MS.max) - latencyBucket(LATENCY_BOUNDS_MS.min) + 1;
    expect(buckets).toBe(917);
    expect(latencyBucket(0)).toBe(latencyBucket(LATENCY_BOUNDS_MS.min));
    expect(latencyBucket(1e12)).toBe(latencyBucket(LATENCY_BOUNDS_MS.max));
    expect(latencyQuantile({}, 0.5)).toBeNull();
  });
});

describe('top lists', () => {
  it('keep the 20 most frequent names and count every other as "other", exactly in total', () => {
    const batch = (names: string[]) => ({
      top: Object.fromEntries(names.map((n, i) => [n, names.length - i])),
      other: 0,
    });
    const first = mergeTop({ top: {}, other: 0 }, batch(Array.from({ length: 30 }, (_, i) => `r${i}`)));
    expect(Object.keys(first.top)).toHaveLength(TOP_ENTRIES);
    // 30..1 requests: the 20 largest kept (30..11), 10+9+…+1 = 55 in other.
    expect(first.other).toBe(55);
    const second = mergeTop(first, { top: { r0: 5, r29: 100, new: 1 }, other: 2 });
    expect(second.top.r0).toBe(35);
    // r29's first request went to other when it fell out; it is back with its later ones.
    expect(second.top.r29).toBe(100);
    expect(second.top.new).toBeUndefined();
    expect(Object.keys(second.top)).toHaveLength(TOP_ENTRIES);
    const total = (t: typeof second) => Object.values(t.top).reduce((a, b) => a + b, 0) + t.other;
    expect(total(second)).toBe(total(first) + 108);
  });
});

describe('what a check leaves behind', () => {
  it('cuts caller-given parts to their bounds in UTF-8 bytes, never inside a character', () => {
    expect(truncateUtf8('中'.repeat(50), 128)).toBe('中'.repeat(42));
    expect(truncateUtf8('a😀b', 4)).toBe('a');
    expect(truncateUtf8('plain', 128)).toBe('plain');
    const bounded = boundedRequest({
      method: 'GET',
      path: `/${'p'.repeat(300)}`,
      sourceIp: '__proto__',
      userAgent: 'u'.repeat(1000),
    });
    expect(bounded.path).toHaveLength(128);
    expect(bounded.userAgent).toHaveLength(128);
    // Not an address (a caller of POST /v1/verify names its own): kept as none.
    expect(bounded.sourceIp).toBeNull();
    expect(boundedRequest({ method: 'GET', path: '/', sourceIp: '::ffff:192.0.2.128' }).sourceIp).toBe(
      '::ffff:192.0.2.128',
    );
  });

  it('reads a check from its log line: every check, counted only once its key was proven', () => {
    const line = (fields: Record<string, unknown>) =>
      `2026-03-04T10:00:00.000Z\tINFO\t${JSON.stringify({ _aws: { Timestamp: Date.parse(`${DAY}T10:00:00Z`) }, ...fields })}`;
    const request = {
      method: 'POST',
      path: '/orders',
      sourceIp: '198.51.100.2',
      userAgent: 'sdk/1',
      region: 'eu-west-1',
      latencyMs: '2.5',
    };
    const proven = checkFromLogLine(line({ code: 'VALID', keyId: 'key_a', usage: 'allowed', ...request }), 0);
    expect(proven).toEqual({
      counted: true,
      check: {
        keyId: 'key_a',
        at: `${DAY}T10:00:00.000Z`,
        outcome: 'ALLOWED',
        method: 'POST',
        path: '/orders',
        sourceIp: '198.51.100.2',
        userAgent: 'sdk/1',
        latencyMs: 2.5,
        region: 'eu-west-1',
      },
    });
    expect(checkFromLogLine(line({ code: 'INVALID_SECRET', keyId: 'key_a', ...request }), 0)?.counted).toBe(
      false,
    );
    expect(checkFromLogLine(line({ code: 'MISSING', ...request }), 0)?.check.keyId).toBeNull();
    expect(checkFromLogLine(line({ level: 'ERROR', message: 'x' }), 0)).toBeUndefined();
    expect(checkFromLogLine('START RequestId: 1', 0)).toBeUndefined();
  });
});

describe('a counting batch', () => {
  it("adds up each key's day: refusals by code, routes, addresses, latency; its newest requests; its last use", () => {
    const tally = new UsageTally();
    const at = (minute: number) => new Date(Date.parse(`${DAY}T10:00:00Z`) + minute * 60_000).toISOString();
    for (let i = 0; i < 250; i++) {
      tally.add(
        check({
          at: at(i),
          code: i % 5 === 0 ? 'INSUFFICIENT_PERMISSIONS' : 'VALID',
          path: i % 2 ? '/a' : '/b',
          sourceIp: `192.0.2.${i % 3}`,
          userAgent: `agent-${i}`,
        }),
      );
    }
    const [day] = tally.days();
    expect(day?.insight).toMatchObject({
      allowed: 200,
      refused: 50,
      refusals: { INSUFFICIENT_PERMISSIONS: 50 },
      routes: { top: { 'GET /a': 125, 'GET /b': 125 }, other: 0 },
      sourceIps: { top: { '192.0.2.0': 84, '192.0.2.1': 83, '192.0.2.2': 83 }, other: 0 },
    });
    const [recent] = tally.requests();
    expect(recent?.rows).toHaveLength(RECENT_REQUESTS_KEPT);
    expect(recent?.rows.map((r) => r.userAgent)).toEqual(
      Array.from({ length: 100 }, (_, i) => `agent-${249 - i}`),
    );
    // The latest allowed check (249 is allowed; 245 was the last refusal).
    expect(tally.lastUseOf('key_a')).toEqual({
      at: at(249),
      sourceIp: '192.0.2.0',
      userAgent: 'agent-249',
      route: 'GET /a',
    });
  });

  it('keeps a day within DynamoDB item size with room at its worst: every list full of the longest names, every latency bucket', () => {
    let day = EMPTY_INSIGHT;
    const longRoute = (i: number) => `${'M'.repeat(16)} /${'中'.repeat(40)}${i}`;
    for (let round = 0; round < 3; round++) {
      const routes = Object.fromEntries(
        Array.from({ length: 60 }, (_, i) => [longRoute(i + round * 60), 1e9]),
      );
      const sourceIps = Object.fromEntries(
        Array.from({ length: 60 }, (_, i) => [`ffff:ffff:ffff:ffff:ffff:ffff:255.255.${round}.${i}`, 1e9]),
      );
      const latency = new Map<number, number>();
      for (let b = latencyBucket(LATENCY_BOUNDS_MS.min); b <= latencyBucket(LATENCY_BOUNDS_MS.max); b++)
        latency.set(b, 123_456_789_012);
      day = mergeInsight(day, {
        allowed: 1e12,
        refused: 1e12,
        refusals: Object.fromEntries([...REFUSALS, ROOM_FOR_A_NEW_CODE].map((c) => [c, 1e12])),
        routes: { top: routes, other: 7 },
        sourceIps: { top: sourceIps, other: 7 },
        latency: sketchOf(latency),
      });
    }
    expect(Object.keys(day.routes.top)).toHaveLength(TOP_ENTRIES);
    expect(Object.keys(day.sourceIps.top)).toHaveLength(TOP_ENTRIES);
    const item = {
      keyId: `key_${'X'.repeat(22)}`,
      day: DAY,
      ...dayAttributes(day),
      v: 1e9,
      ttl: 1_900_000_000,
    };
    const bytes = itemSizeBytes(item);
    // DynamoDB's limit is 400 KB; the worst day is a small part of it.
    expect(bytes).toBeLessThan(40 * 1024);
  });

  it("keeps a batch's recent requests of a key within DynamoDB item size: every row kept, each field at its bound", () => {
    const { keyId: _, ...row } = checkRecord(
      'key_a',
      new Date(`${DAY}T10:00:00.000Z`),
      'X'.repeat(100),
      {
        method: 'M'.repeat(100),
        path: `/${'p'.repeat(1000)}`,
        sourceIp: 'f'.repeat(45),
        userAgent: 'a'.repeat(1000),
        region: 'r'.repeat(100),
      },
      899_999.99,
    );
    expect(row).toMatchObject({
      outcome: 'X'.repeat(CHECK_LIMITS.outcome),
      method: 'M'.repeat(CHECK_LIMITS.method),
      userAgent: 'a'.repeat(CHECK_LIMITS.userAgent),
      region: 'r'.repeat(CHECK_LIMITS.region),
    });
    const item = requestsItem(
      `key_${'X'.repeat(22)}`,
      Array.from({ length: RECENT_REQUESTS_KEPT }, () => row),
    );
    // DynamoDB's limit is 400 KB; the largest item one batch writes is a small part of it.
    expect(itemSizeBytes(item)).toBeLessThan(64 * 1024);
  });
});

describe('answers', () => {
  it('adds the window up from its days: totals, refusals, latency and the top lists', () => {
    const tally = new UsageTally();
    tally.add(check({ at: '2026-03-03T10:00:00.000Z', code: 'REVOKED', path: '/x' }));
    tally.add(check({ at: `${DAY}T10:00:00.000Z`, code: 'REVOKED', path: '/x' }));
    tally.add(check({ at: `${DAY}T11:00:00.000Z` }));
    const stored = tally.days().map((d) => ({ date: d.day, ...mergeInsight(EMPTY_INSIGHT, d.insight) }));
    const usage = keyUsage(['2026-03-02', '2026-03-03', DAY], stored);
    expect(usage.days.map((d) => [d.date, d.allowed, d.refused, d.refusals])).toEqual([
      ['2026-03-02', 0, 0, {}],
      ['2026-03-03', 0, 1, { REVOKED: 1 }],
      [DAY, 1, 1, { REVOKED: 1 }],
    ]);
    expect(usage.days[0]?.latencyMs).toBeNull();
    expect(usage.total).toEqual({ allowed: 1, refused: 2, refusals: { REVOKED: 2 } });
    expect(usage.routes).toEqual({
      top: [
        { route: 'GET /x', requests: 2 },
        { route: 'GET /orders/{id}', requests: 1 },
      ],
      other: 0,
    });
    expect(usage.sourceIps.top).toEqual([{ sourceIp: '203.0.113.1', requests: 3 }]);
    expect(usage.latencyMs).toEqual({ p50: expect.closeTo(1.5, 1), p99: expect.closeTo(1.5, 1) });
  });

  it('writes the requests CSV formula-safe, as the compliance CSV', () => {
    const { keyId: _k, ...row } = check({ userAgent: '=HYPERLINK("http://x")', path: '/a,b' });
    const csv = requestsCsv([row, { ...row, sourceIp: null }]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('"at","outcome","method","path","sourceIp","userAgent","latencyMs","region"');
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(lines[1]).toContain('"/a,b"');
    expect(lines[2]).toContain('"GET","/a,b",,');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('packs verification log records several to a Firehose record, each a JSON document of its own', () => {
    const logged = { check: { ...check(), keyId: null }, counted: false };
    const records = Array.from({ length: 1000 }, () => verificationRecord(logged));
    const packed = packRecords(records, 5 * 1024);
    expect(packed.length).toBeGreaterThan(1);
    expect(packed.every((p) => Buffer.byteLength(p) <= 5 * 1024)).toBe(true);
    const rows = packed.flatMap((p) => p.split(/(?<=\})(?=\{)/).map((doc) => JSON.parse(doc)));
    expect(rows).toHaveLength(1000);
    expect(rows[0]).toEqual({
      at: `${DAY}T10:00:00.000Z`,
      key_id: null,
      outcome: 'ALLOWED',
      method: 'GET',
      path: '/orders/{id}',
      source_ip: '203.0.113.1',
      user_agent: 'curl/8',
      latency_ms: 1.5,
      region: null,
      counted: false,
    });
  });
});

describe('recent requests in a batch', () => {
  it('keep the order they were counted in within one millisecond, the later first, through any trimming', () => {
    const tally = new UsageTally();
    for (let i = 0; i < 450; i++)
      tally.add(check({ at: `${DAY}T10:00:0${Math.floor(i / 150)}.000Z`, userAgent: `agent-${i}` }));
    const [recent] = tally.requests();
    expect(recent?.rows.map((r) => r.userAgent)).toEqual(
      Array.from({ length: 100 }, (_, i) => `agent-${449 - i}`),
    );
  });
});
