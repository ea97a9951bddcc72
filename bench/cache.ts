import type { KeyRecord } from '#domain/keys/key.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { verify } from '#domain/verify/verify.ts';
import { cachedKeyReader, type KeyReader } from '#platform/cache/key-cache.ts';
import { startLocal } from '../local/server.ts';
import { storedKey } from '../test/support/fixtures.ts';
import {
  apiOf,
  buildLargestKey,
  createTypicalKey,
  measureKeyItem,
  useAtLargest,
} from '../test/support/largest-key.ts';

/**
 * The hot-key cache against a counting store, on a fake clock: what one hot key costs each
 * instance, what 100 concurrent checks of a cold key cost, and how soon every instance sees a
 * revocation. Then the key item's size on DynamoDB Local: the largest key the API accepts and a
 * typical one.
 */
const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'h'.repeat(43) }));
const CACHE_MS = 5000;
const RATE = 10_000;
const SECONDS = 60;
const PARTITION_RCU = 3000;
const INSTANCES = 50;

/** A store of key records that counts its reads; each read answers after `delayMs` of real time. */
function countingStore(delayMs = 0) {
  const records = new Map<string, KeyRecord>();
  let reads = 0;
  const read: KeyReader = async (keyId) => {
    reads++;
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return records.get(keyId);
  };
  return { records, read, reads: () => reads };
}

const deps = (getKey: KeyReader, now: () => number) => ({
  getKey,
  peppers: async () => peppers,
  now: () => new Date(now()),
  customRoles: async () => new Map(),
});

/** 10,000 checks/s of one key on one instance for 60 simulated seconds, 10 concurrent per millisecond. */
async function hotKey() {
  const store = countingStore();
  const { record, secret } = storedKey(peppers);
  store.records.set(record.keyId, record);
  let t = 1_000_000;
  const getKey = cachedKeyReader(store.read, { ttlMs: CACHE_MS, maxEntries: 10_000, now: () => t });
  const perMs = RATE / 1000;
  let valid = 0;
  for (let ms = 0; ms < SECONDS * 1000; ms++, t++) {
    const answers = await Promise.all(
      Array.from({ length: perMs }, () =>
        verify(
          { secret },
          deps(getKey, () => t),
        ),
      ),
    );
    for (const a of answers) if (a.valid) valid++;
  }
  if (valid !== RATE * SECONDS) throw new Error(`hot key: ${valid} valid of ${RATE * SECONDS}`);
  return store.reads() / SECONDS;
}

/** 100 concurrent checks of a key no check has read yet, with a 2 ms read. */
async function coalesced() {
  const store = countingStore(2);
  const { record, secret } = storedKey(peppers);
  store.records.set(record.keyId, record);
  const getKey = cachedKeyReader(store.read, { ttlMs: CACHE_MS, maxEntries: 10_000 });
  const answers = await Promise.all(
    Array.from({ length: 100 }, () => verify({ secret }, deps(getKey, Date.now))),
  );
  if (!answers.every((a) => a.valid)) throw new Error('coalesced: a check was refused');
  return store.reads();
}

/**
 * Five instances share the check load of one key (each started at its own moment, so their
 * cached reads age differently); the key is revoked mid-run. The figure is the longest time,
 * over the instances, from the revocation to that instance's first refusal.
 */
async function revocation() {
  const store = countingStore();
  const { record, secret } = storedKey(peppers);
  store.records.set(record.keyId, record);
  let t = 1_000_000;
  const instances = Array.from({ length: 5 }, () =>
    cachedKeyReader(store.read, { ttlMs: CACHE_MS, maxEntries: 10_000, now: () => t }),
  );
  const revokeAt = t + 23_456;
  const refusedAfter: Array<number | undefined> = instances.map(() => undefined);
  for (let ms = 0; ms < 30_000; ms++, t++) {
    if (t === revokeAt) store.records.set(record.keyId, { ...record, status: 'revoked', version: 2 });
    // 10 checks a millisecond, spread over the instances; instance i joins at i × 1.3 s.
    for (let c = 0; c < 10; c++) {
      const i = (ms * 10 + c) % instances.length;
      if (ms < i * 1300) continue;
      const decision = await verify(
        { secret },
        deps(instances[i] as KeyReader, () => t),
      );
      if (t >= revokeAt && !decision.valid && refusedAfter[i] === undefined) refusedAfter[i] = t - revokeAt;
      if (t < revokeAt && !decision.valid) throw new Error('revocation: refused before the revocation');
    }
  }
  if (refusedAfter.some((v) => v === undefined)) throw new Error('revocation: an instance never refused');
  return Math.max(...(refusedAfter as number[])) / 1000;
}

/**
 * The largest key the API accepts (a create and PATCHes, each field grown to the most accepted),
 * used with the longest last use usage counting keeps on it, and a typical one.
 */
async function itemSizes() {
  // The management handlers' per-event INFO lines are not what the bench reports.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const service = await startLocal({
    port: 0,
    memory: true,
    adminToken: `bench-admin-${'x'.repeat(32)}`,
    log: () => undefined,
  });
  try {
    const api = apiOf(service.url, service.adminToken);
    const { keyId } = await buildLargestKey(api);
    await useAtLargest(service, keyId);
    const largest = await measureKeyItem(service, keyId);
    const typical = await measureKeyItem(service, await createTypicalKey(api));
    return { largest, typical };
  } finally {
    await service.stop();
  }
}

export async function benchCache(): Promise<Record<string, number>> {
  const readsPerSecond = await hotKey();
  const coalescedReads = await coalesced();
  const revokedWithin = await revocation();
  const { largest, typical } = await itemSizes();
  const fleet = readsPerSecond * INSTANCES * largest.readUnits;
  console.log(
    [
      `Hot key at ${RATE.toLocaleString()} checks/s, ${CACHE_MS / 1000} s cache: ${readsPerSecond} reads/s per instance.`,
      `${INSTANCES} instances: ${INSTANCES} × ${readsPerSecond} reads/s × ${largest.readUnits} RCU (largest key, ${largest.bytes} bytes) = ${fleet} RCU/s against one partition's ${PARTITION_RCU.toLocaleString()} RCU/s (${((100 * fleet) / PARTITION_RCU).toFixed(2)}%).`,
      `Uncached: ${RATE.toLocaleString()} checks/s = ${RATE.toLocaleString()} RCU/s, ${(RATE / PARTITION_RCU).toFixed(1)}× the partition; one partition serves ${PARTITION_RCU.toLocaleString()} uncached checks/s of a key up to 4 KB.`,
    ].join('\n'),
  );
  return {
    hotKeyReadsPerSecondPerInstance: readsPerSecond,
    hotKeyRcuPerSecondAt50Instances: fleet,
    coalescedReadsPer100ConcurrentChecks: coalescedReads,
    revocationObservedWithinSeconds: revokedWithin,
    largestKeyItemBytes: largest.bytes,
    largestKeyReadUnits: largest.readUnits,
    typicalKeyItemBytes: typical.bytes,
  };
}
