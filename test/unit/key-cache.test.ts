import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readSettings } from '#config/settings.ts';
import type { KeyRecord } from '#domain/keys/key.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { verify } from '#domain/verify/verify.ts';
import { cachedKeyReader, type KeyReader, keyCacheSettings } from '#platform/cache/key-cache.ts';
import { logger } from '#platform/observability/logger.ts';
import { storedKey } from '../support/fixtures.ts';
import { useLambdaEnv } from '../support/lambda.ts';

const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'k'.repeat(40) }));

/** A store of records that counts its reads, and a fake monotonic clock (never 0: lru-cache reads 0 as "no start"). */
function setup(ttlMs: number, maxEntries = 100) {
  const records = new Map<string, KeyRecord>();
  const reads: string[] = [];
  let t = 1_000_000;
  const read: KeyReader = async (keyId) => {
    reads.push(keyId);
    return records.get(keyId);
  };
  const getKey = cachedKeyReader(read, { ttlMs, maxEntries, now: () => t });
  const add = (overrides: Partial<KeyRecord> = {}) => {
    const made = storedKey(peppers, overrides);
    records.set(made.record.keyId, made.record);
    return made;
  };
  return {
    getKey,
    records,
    reads,
    add,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('the hot-key cache', () => {
  it('serves a key for the TTL, then reads again', async () => {
    const s = setup(5000);
    const { record } = s.add();
    expect(await s.getKey(record.keyId)).toEqual(record);
    s.advance(4999);
    await s.getKey(record.keyId);
    expect(s.reads).toHaveLength(1);
    s.advance(1);
    await s.getKey(record.keyId);
    expect(s.reads).toHaveLength(2);
  });

  it('counts the TTL from when the read began, so a slow read is not served for longer', async () => {
    const records = new Map<string, KeyRecord>();
    const { record } = storedKey(peppers);
    records.set(record.keyId, record);
    let t = 1_000_000;
    let reads = 0;
    const getKey = cachedKeyReader(
      async (id) => {
        reads++;
        t += 3000; // the read takes 3 s of the 5 s bound
        return records.get(id);
      },
      { ttlMs: 5000, maxEntries: 10, now: () => t },
    );
    await getKey(record.keyId);
    t += 1999;
    await getKey(record.keyId);
    expect(reads).toBe(1);
    t += 1;
    await getKey(record.keyId);
    expect(reads).toBe(2);
  });

  it('caches "not found" for the same bound', async () => {
    const s = setup(2000);
    const { record } = storedKey(peppers);
    expect(await s.getKey(record.keyId)).toBeUndefined();
    s.records.set(record.keyId, record);
    expect(await s.getKey(record.keyId)).toBeUndefined();
    expect(s.reads).toHaveLength(1);
    s.advance(2000);
    expect(await s.getKey(record.keyId)).toEqual(record);
    expect(s.reads).toHaveLength(2);
  });

  it('is bounded by entries, evicting the least recently used', async () => {
    const s = setup(10_000, 2);
    const [a, b, c] = [s.add().record, s.add().record, s.add().record] as const;
    await s.getKey(a.keyId);
    await s.getKey(b.keyId);
    await s.getKey(a.keyId); // a is now the most recent
    await s.getKey(c.keyId); // evicts b
    expect(s.reads).toEqual([a.keyId, b.keyId, c.keyId]);
    await s.getKey(a.keyId);
    await s.getKey(b.keyId);
    expect(s.reads).toEqual([a.keyId, b.keyId, c.keyId, b.keyId]);
  });

  it('coalesces concurrent lookups of one key into one read', async () => {
    const s = setup(5000);
    const { record } = s.add();
    const answers = await Promise.all(Array.from({ length: 100 }, () => s.getKey(record.keyId)));
    expect(s.reads).toHaveLength(1);
    expect(answers.every((r) => r?.keyId === record.keyId)).toBe(true);
  });

  it('never caches a failed read: every waiter fails (closed) and the next check reads again', async () => {
    let fail = true;
    let reads = 0;
    const { record } = storedKey(peppers);
    const getKey = cachedKeyReader(
      async () => {
        reads++;
        if (fail) throw new Error('ProvisionedThroughputExceededException');
        return record;
      },
      { ttlMs: 5000, maxEntries: 10, now: () => 1_000_000 },
    );
    const waiters = await Promise.allSettled([getKey(record.keyId), getKey(record.keyId)]);
    expect(waiters.map((w) => w.status)).toEqual(['rejected', 'rejected']);
    expect(reads).toBe(1);
    fail = false;
    expect(await getKey(record.keyId)).toEqual(record);
    expect(reads).toBe(2);
  });

  it('off (TTL 0): every check reads', async () => {
    const s = setup(0);
    const { record } = s.add();
    await Promise.all([s.getKey(record.keyId), s.getKey(record.keyId)]);
    await s.getKey(record.keyId);
    expect(s.reads).toHaveLength(3);
  });

  it('lets a revocation reach every instance within the bound', async () => {
    // Three instances over one store, each with its own cache and its own first read.
    const records = new Map<string, KeyRecord>();
    const { record, secret } = storedKey(peppers);
    records.set(record.keyId, record);
    let t = 1_000_000;
    const instances = [0, 1, 2].map(() =>
      cachedKeyReader(async (id) => records.get(id), { ttlMs: 5000, maxEntries: 10, now: () => t }),
    );
    const check = (getKey: KeyReader) =>
      verify(
        { secret },
        { getKey, peppers: async () => peppers, now: () => new Date(), customRoles: async () => new Map() },
      );
    for (const [i, getKey] of instances.entries()) {
      t += i * 1500;
      expect((await check(getKey)).code).toBe('VALID');
    }
    const revokedAt = t;
    records.set(record.keyId, { ...record, status: 'revoked', version: 2 });
    const refusedAt: number[] = [];
    for (const getKey of instances) {
      const start = t;
      while ((await check(getKey)).code === 'VALID') t += 1;
      refusedAt.push(t - revokedAt);
      t = start;
    }
    // Each instance serves its own read until 5 s after that read began, never longer.
    expect(refusedAt).toEqual([500, 2000, 5000]);
    for (const getKey of instances) expect((await check(getKey)).code).toBe('REVOKED');
  });
});

describe('the cache settings', () => {
  it('are off by default, with 10,000 entries', () => {
    expect(keyCacheSettings(readSettings({}))).toEqual({
      seconds: 0,
      maxEntries: 10_000,
      authorizerCacheSeconds: 0,
      revocationBoundSeconds: 0,
    });
  });

  it('state the revocation bound: cache seconds plus the API Gateway cache TTL', () => {
    const config = readSettings({ LATCHKEY_KEY_CACHE_SECONDS: '5', LATCHKEY_AUTHORIZER_CACHE_SECONDS: '30' });
    expect(keyCacheSettings(config)).toMatchObject({ seconds: 5, revocationBoundSeconds: 35 });
  });

  for (const [name, value, message] of [
    ['LATCHKEY_KEY_CACHE_SECONDS', '11', /LATCHKEY_KEY_CACHE_SECONDS must be at most 10, got "11"/],
    ['LATCHKEY_KEY_CACHE_SECONDS', '2.5', /LATCHKEY_KEY_CACHE_SECONDS must be a whole number/],
    ['LATCHKEY_KEY_CACHE_ENTRIES', '0', /LATCHKEY_KEY_CACHE_ENTRIES must be at least 1, got "0"/],
  ] as const) {
    it(`refuse ${name}=${value} at start`, () => {
      expect(() => readSettings({ [name]: value })).toThrow(message);
    });
  }
});

describe('the verify path with the cache', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const saved = { ...process.env };
  beforeEach(() => {
    useLambdaEnv();
    ddb.reset();
  });
  afterEach(() => {
    process.env = { ...saved };
    vi.restoreAllMocks();
  });
  const { record } = storedKey(peppers);

  it('off by default: every check is a strongly consistent GetItem, and no bound is logged', async () => {
    delete process.env.LATCHKEY_KEY_CACHE_SECONDS;
    const info = vi.spyOn(logger, 'info');
    ddb.on(GetCommand).resolves({ Item: record });
    const { verifyDeps } = await import('#platform/wiring/check.ts');
    const deps = verifyDeps();
    for (let i = 0; i < 5; i++) await deps.getKey(record.keyId);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(5);
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({ ConsistentRead: true });
    expect(info).not.toHaveBeenCalled();
  });

  it('on: one read per TTL, and the cold start logs the revocation bound', async () => {
    process.env.LATCHKEY_KEY_CACHE_SECONDS = '5';
    process.env.LATCHKEY_AUTHORIZER_CACHE_SECONDS = '60';
    const info = vi.spyOn(logger, 'info');
    ddb.on(GetCommand).resolves({ Item: record });
    const { verifyDeps } = await import('#platform/wiring/check.ts');
    const deps = verifyDeps();
    for (let i = 0; i < 5; i++) await deps.getKey(record.keyId);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
    expect(info).toHaveBeenCalledWith(
      'revocation takes effect within 65 s: key cache 5 s + API Gateway authorizer cache 60 s',
      expect.objectContaining({ keyCacheSeconds: 5, authorizerCacheSeconds: 60, revocationBoundSeconds: 65 }),
    );
  });
});
