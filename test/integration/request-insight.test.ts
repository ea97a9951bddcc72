import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { itemSizeBytes } from '#domain/keys/item-size.ts';
import { dynamoClient, dynamoDocument } from '#platform/aws/clients.ts';
import { DynamoRequestLog } from '#store/dynamo-requests.ts';
import { HANDLER_MODULES } from '../../functions/handler-modules.ts';
import { pagesOf } from '../support/api.ts';
import { requestEvent } from '../support/authorizer-events.ts';
import { newKey, useTestService } from '../support/service.ts';

/**
 * What checks leave behind, on DynamoDB Local through the real counting path: the authorizer's
 * handler (in this process, as the local server runs it) and its counter, flushed as the server
 * flushes it; read back through the API.
 */
// Batches as the test makes them (a flush after every 50 checks), never one of the counter's own.
const svc = useTestService({ env: { LATCHKEY_USAGE_FLUSH_SECONDS: '900' } });
let authorize: (event: unknown) => Promise<unknown>;
let flushUsage: () => Promise<void>;

beforeAll(async () => {
  const authorizer = await HANDLER_MODULES.authorizer();
  authorize = authorizer.handler as never;
  flushUsage = authorizer.flushUsage;
});
afterEach(() => {
  delete process.env.LATCHKEY_CLOCK;
});

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const pick = <T>(next: () => number, list: readonly T[]) => list[Math.floor(next() * list.length)] as T;

/** The DynamoDB calls this process makes while `work` runs: operation, table, and the key ID they touch. */
async function dynamoCalls(work: () => Promise<void>) {
  const calls: { op: string; table: string; keyId: string }[] = [];
  const stack = dynamoClient().middlewareStack;
  stack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        TableName?: string;
        Key?: { keyId?: unknown };
        Item?: { keyId?: unknown };
      };
      const id = input.Key?.keyId ?? input.Item?.keyId;
      calls.push({
        op: String(context.commandName).replace(/Command$/, ''),
        table: String(input.TableName ?? '').replace(/^.*-/, ''),
        keyId: typeof id === 'object' && id !== null ? String((id as { S?: string }).S) : String(id),
      });
      return next(args);
    },
    { step: 'initialize', name: 'countDynamoCalls' },
  );
  try {
    await work();
  } finally {
    stack.remove('countDynamoCalls');
  }
  return calls;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

interface Sent {
  keyId: string | undefined;
  at: string;
  outcome: string | undefined;
  method: string;
  route: string;
  sourceIp: string;
  userAgent: string;
}

const percentile = (values: readonly number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(q * values.length)) - 1] as number;

describe('1,000 checks with known outcomes, routes, addresses and agents', () => {
  it("give each key's exact per-day breakdown, its requests newest first, and its last use; a batch writes once per key", async () => {
    const create = async (body: Record<string, unknown>) => {
      const res = await svc.api('POST', '/v1/keys', newKey({ roles: ['read'], ...body }));
      expect(res.status, res.text).toBe(201);
      return { keyId: res.body.key.keyId as string, secret: res.body.secret as string };
    };
    const reader = await create({ name: 'reader' });
    const fenced = await create({ name: 'fenced', ipAllowlist: ['192.0.2.0/29'] });
    const disabled = await create({ name: 'disabled' });
    expect((await svc.api('PATCH', `/v1/keys/${disabled.keyId}`, { enabled: false })).status).toBe(200);
    const keys = [reader, fenced, disabled];
    const unknownSecret = `${reader.secret.slice(0, 12)}${'A'.repeat(reader.secret.length - 12)}`;

    const next = random(27);
    // Two methods on eight resources: 16 routes, 5 addresses, within the top 20 (folding is tested below).
    const routes = Array.from({ length: 8 }, (_, i) => `/v1/things${i}/{id}`);
    const addresses = ['192.0.2.1', '192.0.2.5', '198.51.100.7', '2001:db8::42', '203.0.113.200'];
    const agents = [
      'curl/8.4.0',
      'python-requests/2.31',
      'orders-service/1.2 (+ops)',
      `long ${'中'.repeat(80)}`,
    ];
    const DAYS = ['2030-01-14T20:00:00.000Z', '2030-01-15T08:00:00.000Z'];
    const sent: Sent[] = [];
    const writesPerFlush: { table: string; keyId: string; writes: number }[][] = [];

    for (let batch = 0; batch < 20; batch++) {
      const calls = await dynamoCalls(async () => {
        for (let i = 0; i < 50; i++) {
          const n = batch * 50 + i;
          // A clock of its own per check, one second apart, so "newest first" has one answer.
          const at = new Date(Date.parse(DAYS[n < 500 ? 0 : 1] as string) + (n % 500) * 1000).toISOString();
          process.env.LATCHKEY_CLOCK = at;
          const key = next() < 0.05 ? undefined : pick(next, keys);
          const method = next() < 0.2 ? 'POST' : 'GET';
          const sourceIp = pick(next, addresses);
          const userAgent = pick(next, agents);
          const resource = pick(next, routes);
          await authorize(
            requestEvent({
              method,
              path: resource.replace('{id}', String(n)),
              resource,
              sourceIp,
              headers: { authorization: `Bearer ${key?.secret ?? unknownSecret}`, 'user-agent': userAgent },
            }),
          ).catch(() => undefined);
          const outcome = !key
            ? undefined
            : key === disabled
              ? 'DISABLED'
              : key === fenced && !sourceIp.startsWith('192.0.2.')
                ? 'IP_NOT_ALLOWED'
                : method === 'POST'
                  ? 'INSUFFICIENT_PERMISSIONS'
                  : 'ALLOWED';
          // The fenced key's allowlist is 192.0.2.0/29: .1 and .5 are in it.
          sent.push({
            keyId: key?.keyId,
            at,
            outcome,
            method,
            route: `${method} ${resource}`,
            sourceIp,
            userAgent,
          });
        }
      });
      // The checks made no writes themselves (reads only); the flush writes the batch.
      expect(calls.filter((c) => WRITES.has(c.op))).toEqual([]);
      const flush = await dynamoCalls(() => flushUsage());
      const perKey = new Map<string, number>();
      for (const c of flush.filter((call) => WRITES.has(call.op)))
        perKey.set(`${c.table} ${c.keyId}`, (perKey.get(`${c.table} ${c.keyId}`) ?? 0) + 1);
      writesPerFlush.push(
        [...perKey].map(([tableKey, writes]) => {
          const [table, keyId] = tableKey.split(' ') as [string, string];
          return { table, keyId, writes };
        }),
      );
    }

    // At most one write per key of each kind per batch (its day, its requests, its last use):
    // never one per check.
    for (const flush of writesPerFlush) {
      for (const w of flush) expect(w.writes, `${w.table} ${w.keyId}`).toBe(1);
      // The last use is written at most once a minute per key, so not by every batch.
      expect(flush.filter((w) => w.table === 'usage')).toHaveLength(keys.length);
      expect(flush.filter((w) => w.table === 'requests')).toHaveLength(keys.length);
      expect(flush.every((w) => ['usage', 'requests', 'keys'].includes(w.table))).toBe(true);
      expect(flush.length).toBeLessThanOrEqual(3 * keys.length);
    }

    process.env.LATCHKEY_CLOCK = '2030-01-15T12:00:00.000Z';
    const byName = (
      list: { route?: string; sourceIp?: string; requests: number }[],
      field: 'route' | 'sourceIp',
    ) => Object.fromEntries(list.map((e) => [e[field], e.requests]));
    const tally = (list: Sent[], field: keyof Sent) => {
      const out: Record<string, number> = {};
      for (const s of list) out[String(s[field])] = (out[String(s[field])] ?? 0) + 1;
      return out;
    };
    for (const key of keys) {
      const mine = sent.filter((s) => s.keyId === key.keyId);
      expect(mine.length).toBeGreaterThan(200);
      // Every request, newest first, page by page.
      const listed: Record<string, unknown>[] = [];
      for await (const res of pagesOf(svc.api, `/v1/keys/${key.keyId}/requests?limit=37`)) {
        expect(res.status, res.text).toBe(200);
        listed.push(...res.body.items);
      }
      expect(
        // To the second: the test clock runs on for a few milliseconds after it is set.
        listed.map((r) => [
          String(r.at).slice(0, 19),
          r.outcome,
          `${r.method} ${r.path}`,
          r.sourceIp,
          r.userAgent,
          r.region,
        ]),
      ).toEqual(
        [...mine].reverse().map((s) => [
          s.at.slice(0, 19),
          s.outcome,
          s.route,
          s.sourceIp,
          Buffer.from(s.userAgent)
            .subarray(0, 128)
            .toString('utf8')
            .replace(/\uFFFD$/, ''),
          'us-east-1',
        ]),
      );

      const usage = await svc.api('GET', `/v1/keys/${key.keyId}/usage?days=2`);
      expect(usage.status).toBe(200);
      for (const [i, day] of usage.body.days.entries()) {
        const ofDay = mine.filter((s) => s.at.startsWith(DAYS[i]?.slice(0, 10) as string));
        const refused = ofDay.filter((s) => s.outcome !== 'ALLOWED');
        expect(day).toMatchObject({
          date: DAYS[i]?.slice(0, 10),
          allowed: ofDay.length - refused.length,
          refused: refused.length,
          refusals: tally(refused, 'outcome'),
        });
        expect(byName(day.routes.top, 'route')).toEqual(tally(ofDay, 'route'));
        expect(byName(day.sourceIps.top, 'sourceIp')).toEqual(tally(ofDay, 'sourceIp'));
        expect([day.routes.other, day.sourceIps.other]).toEqual([0, 0]);
        const latencies = listed
          .filter((r) => String(r.at).startsWith(day.date))
          .map((r) => Number(r.latencyMs));
        expect(latencies).toHaveLength(ofDay.length);
        for (const [q, name] of [
          [0.5, 'p50'],
          [0.99, 'p99'],
        ] as const) {
          const truth = Math.max(0.01, percentile(latencies, q));
          expect(Math.abs(day.latencyMs[name] - truth) / truth).toBeLessThanOrEqual(0.0105);
        }
      }
      expect(usage.body.total.allowed + usage.body.total.refused).toBe(mine.length);

      const lastAllowed = mine.filter((s) => s.outcome === 'ALLOWED').at(-1);
      const stored = await svc.api('GET', `/v1/keys/${key.keyId}`);
      if (!lastAllowed) {
        expect(stored.body.lastUsedAt).toBeNull();
        expect(stored.body.lastUsedIp).toBeUndefined();
        continue;
      }
      // The last use as of the last batch that set it: at most once a minute per key.
      expect(Date.parse(lastAllowed.at) - Date.parse(stored.body.lastUsedAt)).toBeLessThan(60_000 + 50_000);
      const use = mine.find((s) => s.at.slice(0, 19) === String(stored.body.lastUsedAt).slice(0, 19));
      expect(use?.outcome).toBe('ALLOWED');
      expect(stored.body).toMatchObject({
        lastUsedIp: use?.sourceIp,
        lastUsedRoute: use?.route,
        lastUsedAgent: expect.stringMatching(/./),
      });
      expect((use?.userAgent ?? '').startsWith(stored.body.lastUsedAgent)).toBe(true);
    }
    // The unknown key's checks count against no one.
    expect(sent.filter((s) => !s.keyId).length).toBeGreaterThan(0);
  }, 120_000);
});

describe('bounds', () => {
  it('fold every route and address past the top 20 into "other", and keep the day and a batch of requests far under the item size at their worst', async () => {
    const created = await svc.api('POST', '/v1/keys', newKey({ roles: ['read'], name: 'busy' }));
    const { keyId, secret } = {
      keyId: created.body.key.keyId as string,
      secret: created.body.secret as string,
    };
    // 40 routes and 40 addresses of the longest kind; route r and address a are used 41 - r (41 - a)
    // times in every batch, so the top 20 of each are clear; three batches.
    const route = (r: number) => `/${'中'.repeat(40)}/${r}`;
    const address = (a: number) => `ffff:ffff:ffff:ffff:ffff:ffff:255.255.0.${a}`;
    const agent = 'a'.repeat(500);
    let total = 0;
    for (let batch = 0; batch < 3; batch++) {
      for (let r = 0; r < 40; r++) {
        for (let n = 0; n < 41 - r; n++) {
          await authorize(
            requestEvent({
              method: 'GET',
              path: `/r${r}`,
              resource: route(r),
              sourceIp: address((r + n) % 40),
              headers: { authorization: `Bearer ${secret}`, 'user-agent': agent },
            }),
          );
          total++;
        }
      }
      await flushUsage();
    }
    const usage = await svc.api('GET', `/v1/keys/${keyId}/usage?days=1`);
    const today = usage.body.days[0];
    expect(today.allowed).toBe(total);
    for (const list of [today.routes, today.sourceIps]) {
      expect(list.top).toHaveLength(20);
      const named = list.top.reduce((sum: number, e: { requests: number }) => sum + e.requests, 0);
      expect(named + list.other).toBe(total);
      expect(list.other).toBeGreaterThan(0);
    }
    // The 20 most used routes are r0…r19, each with its exact count.
    expect(today.routes.top).toEqual(
      Array.from({ length: 20 }, (_, r) => ({ route: `GET ${truncated(route(r))}`, requests: 3 * (41 - r) })),
    );

    const doc = dynamoDocument();
    const day = await doc.send(
      new GetCommand({
        TableName: svc.tables.usage,
        Key: { keyId, day: today.date },
        ConsistentRead: true,
      }),
    );
    const requests = await doc.send(
      new QueryCommand({
        TableName: svc.tables.requests,
        KeyConditionExpression: 'keyId = :k',
        ExpressionAttributeValues: { ':k': keyId },
      }),
    );
    // DynamoDB's item limit is 400 KB.
    expect(itemSizeBytes(day.Item ?? {})).toBeLessThan(40 * 1024);
    for (const item of requests.Items ?? []) {
      expect((item.rows as unknown[]).length).toBeLessThanOrEqual(100);
      expect(itemSizeBytes(item)).toBeLessThan(64 * 1024);
    }
  }, 120_000);
});

/** A resource path as a check records it: cut to 128 UTF-8 bytes. */
const truncated = (path: string) =>
  Buffer.from(path)
    .subarray(0, 128)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');

describe('GET /v1/keys/{keyId}/requests', () => {
  it('merges batches whose requests interleave, newest first across pages; refuses a cursor of another key', async () => {
    const created = await svc.api('POST', '/v1/keys', newKey({ name: 'interleaved' }));
    const keyId = created.body.key.keyId as string;
    const other = (await svc.api('POST', '/v1/keys', newKey({ name: 'other' }))).body.key.keyId as string;
    const log = new DynamoRequestLog(dynamoDocument(), svc.tables.requests);
    const row = (second: number, batch: string) => ({
      at: new Date(Date.UTC(2030, 0, 20, 12, 0, second)).toISOString(),
      outcome: 'ALLOWED',
      method: 'GET',
      path: `/${batch}`,
      sourceIp: '192.0.2.1',
      userAgent: null,
      latencyMs: 1,
      region: 'eu-west-1',
    });
    // Two counters' batches at once: seconds 0–58 even, and 1–59 odd; and a later one, 60–69.
    const even = Array.from({ length: 30 }, (_, i) => row(58 - 2 * i, 'even'));
    const odd = Array.from({ length: 30 }, (_, i) => row(59 - 2 * i, 'odd'));
    const later = Array.from({ length: 10 }, (_, i) => row(69 - i, 'later'));
    for (const batch of [even, odd, later]) await log.append(keyId, batch);
    const listed: { at: string; path: string }[] = [];
    let pages = 0;
    for await (const res of pagesOf(svc.api, `/v1/keys/${keyId}/requests?limit=7`)) {
      expect(res.status, res.text).toBe(200);
      expect(res.body.keyId).toBe(keyId);
      listed.push(...res.body.items);
      pages++;
      const cursor = res.body.nextCursor;
      if (cursor) {
        const foreign = await svc.api(
          'GET',
          `/v1/keys/${other}/requests?cursor=${encodeURIComponent(cursor)}`,
        );
        expect(foreign.status).toBe(400);
        expect(foreign.body.error.details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
      }
    }
    expect(pages).toBe(10);
    expect(listed.map((r) => r.at)).toEqual(
      Array.from({ length: 70 }, (_, i) => new Date(Date.UTC(2030, 0, 20, 12, 0, 69 - i)).toISOString()),
    );
    expect(listed.slice(0, 11).map((r) => r.path)).toEqual([...Array(10).fill('/later'), '/odd']);
  });

  it('answers CSV with format=csv, formula-safe; 404 for an unknown key; 400 naming a bad limit', async () => {
    const created = await svc.api('POST', '/v1/keys', newKey({ name: 'csv' }));
    const keyId = created.body.key.keyId as string;
    await new DynamoRequestLog(dynamoDocument(), svc.tables.requests).append(keyId, [
      {
        at: '2030-01-21T09:00:00.000Z',
        outcome: 'IP_NOT_ALLOWED',
        method: 'GET',
        path: '/reports',
        sourceIp: '198.51.100.1',
        userAgent: '=cmd|" /C calc"!A0',
        latencyMs: 2.25,
        region: null,
      },
    ]);
    const res = await fetch(`${svc.url}/v1/keys/${keyId}/requests?format=csv`, {
      headers: { authorization: `Bearer ${svc.adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="latchkey-requests-${keyId}.csv"`,
    );
    expect(await res.text()).toBe(
      '"at","outcome","method","path","sourceIp","userAgent","latencyMs","region"\r\n' +
        `"2030-01-21T09:00:00.000Z","IP_NOT_ALLOWED","GET","/reports","198.51.100.1","'=cmd|"" /C calc""!A0",2.25,\r\n`,
    );
    const missing = await svc.api('GET', `/v1/keys/key_${'0'.repeat(22)}/requests`);
    expect(missing.status).toBe(404);
    const bad = await svc.api('GET', `/v1/keys/${keyId}/requests?limit=0&format=xml`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual([
      'query.limit',
      'query.format',
    ]);
  });
});
