import { beforeAll, describe, expect, it } from 'vitest';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { DynamoUsageStore } from '#store/dynamo-usage.ts';
import { storedKey } from '../support/fixtures.ts';
import { atTime, newKey, storeKeyRecord, useTestService } from '../support/service.ts';

const DAY = 86_400_000;
const svc = useTestService();
let T: number;
const ids: Record<string, string> = {};

/** The report as of `T`. */
const reportAt = (path: string, headers: Record<string, string> = {}) =>
  atTime(T, () => svc.api('GET', path, undefined, headers));

beforeAll(async () => {
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const create = async (name: string, body: Record<string, unknown>) => {
    const res = await svc.api('POST', '/v1/keys', newKey({ name, ...body }));
    expect(res.status, res.text).toBe(201);
    ids[name] = res.body.key.keyId;
  };
  await create('a', { owner: 'o1' });
  await create('b', { owner: 'o1', environment: 'development', expiresAt: iso(now + 105 * DAY) });
  await create('Billing, "prod"', { owner: 'o2' });
  await create('revoked', { owner: 'o2' });
  await create('expired', { owner: 'o2', expiresAt: iso(now + 50 * DAY) });
  expect((await svc.api('POST', `/v1/keys/${ids.revoked}/revoke`, {})).status).toBe(200);
  T = Date.now() + 100 * DAY;
  const usage = new DynamoUsageStore(dynamoDocument(), svc.tables);
  await usage.touch(ids.b as string, iso(T - 95 * DAY));
  await usage.touch(ids['Billing, "prod"'] as string, iso(T - DAY));
  // A key hashed under an older pepper version, as it would be after a pepper rotation.
  const { record } = storedKey(parsePepperSet(JSON.stringify({ version: '0', pepper: 'z'.repeat(40) })), {
    name: `=HYPERLINK("http://x");=cmd|' /C calc'!A0`,
    owner: 'o3',
    createdAt: iso(now),
    rotationDueAt: iso(now + 365 * DAY),
    lastUsedAt: iso(T - 2 * DAY),
    expiresAt: iso(now + 200 * DAY),
  });
  ids.legacy = record.keyId;
  await storeKeyRecord(svc, record);
});

const keyIds = (entries: { keyId: string }[]) => entries.map((e) => e.keyId);

describe('GET /v1/reports/compliance', () => {
  it('reads every live key once and lists each finding with its owner, days and totals per owner', async () => {
    const res = await reportAt('/v1/reports/compliance');
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const r = res.body;
    const billing = ids['Billing, "prod"'];
    expect(r).toMatchObject({
      unusedDays: 90,
      expiringWithinDays: 14,
      generatedAt: new Date(T).toISOString(),
    });
    // Four live keys; the revoked one is never read, the expired one is filtered out.
    expect(r.reads.items).toBe(5);
    expect(r.reads.readUnits).toBeGreaterThan(0);
    expect(r.totals).toEqual({
      liveKeys: 4,
      rotationOverdue: 2,
      neverUsed: 1,
      unused: 1,
      noExpiry: 2,
      expiringSoon: 1,
      retiringPepper: 1,
    });
    expect(
      r.rotationOverdue.map((e: { keyId: string; daysOverdue: number; owner: string }) => [
        e.keyId,
        e.owner,
        e.daysOverdue,
      ]),
    ).toEqual([
      [ids.a, 'o1', 10],
      [billing, 'o2', 10],
    ]);
    expect(r.neverUsed).toEqual([
      expect.objectContaining({ keyId: ids.a, owner: 'o1', ageDays: 100, lastUsedAt: null }),
    ]);
    expect(r.unused).toEqual([expect.objectContaining({ keyId: ids.b, owner: 'o1', daysUnused: 95 })]);
    expect(keyIds(r.noExpiry)).toEqual([ids.a, billing]);
    expect(r.expiringSoon).toEqual([expect.objectContaining({ keyId: ids.b, daysLeft: 5 })]);
    expect(r.retiringPepper).toEqual([
      expect.objectContaining({ keyId: ids.legacy, owner: 'o3', pepperVersion: '0' }),
    ]);
    expect(r.pepperVersions).toEqual([
      { version: '0', keys: 1, current: false },
      { version: r.currentPepperVersion, keys: 3, current: true },
    ]);
    expect(r.owners).toEqual([
      {
        owner: 'o1',
        liveKeys: 2,
        rotationOverdue: 1,
        neverUsed: 1,
        unused: 1,
        noExpiry: 1,
        expiringSoon: 1,
        retiringPepper: 0,
      },
      {
        owner: 'o2',
        liveKeys: 1,
        rotationOverdue: 1,
        neverUsed: 0,
        unused: 0,
        noExpiry: 1,
        expiringSoon: 0,
        retiringPepper: 0,
      },
      {
        owner: 'o3',
        liveKeys: 1,
        rotationOverdue: 0,
        neverUsed: 0,
        unused: 0,
        noExpiry: 0,
        expiringSoon: 0,
        retiringPepper: 1,
      },
    ]);
    expect(res.text).not.toMatch(/secretHash|lk_live_/);
  });

  it('unusedDays moves the unused threshold; a bad one is a 400 naming it', async () => {
    expect((await reportAt('/v1/reports/compliance?unusedDays=200')).body.unused).toEqual([]);
    const bad = await reportAt('/v1/reports/compliance?unusedDays=0&format=xml');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'query.format',
      'query.unusedDays',
    ]);
  });

  it('serves CSV for ?format=csv and for Accept: text/csv, every text field quoted and neutralised, one row per finding', async () => {
    const byQuery = await reportAt('/v1/reports/compliance?format=csv');
    const byAccept = await reportAt('/v1/reports/compliance', { accept: 'text/csv' });
    const json = await reportAt('/v1/reports/compliance?format=json', { accept: 'text/csv' });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    for (const res of [byQuery, byAccept]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
      expect(res.headers.get('content-disposition')).toMatch(
        /^attachment; filename="latchkey-compliance-\d{4}-\d\d-\d\d\.csv"$/,
      );
    }
    expect(byAccept.text).toBe(byQuery.text);
    const lines = byQuery.text.split('\r\n');
    expect(lines[0]).toBe(
      '"section","keyId","name","owner","type","status","environment","createdAt","lastUsedAt","expiresAt","rotationDueAt","pepperVersion","days"',
    );
    // 8 findings after the header, and a final CRLF.
    expect(
      byQuery.text.match(/\r\n"(rotationOverdue|neverUsed|unused|noExpiry|expiringSoon|retiringPepper)",/g),
    ).toHaveLength(8);
    expect(byQuery.text).toContain(`"rotationOverdue","${ids['Billing, "prod"']}","Billing, ""prod""","o2",`);
    // Read with ';' (German or French Excel) the name is still one cell, and no cell starts a formula.
    expect(byQuery.text).toContain(
      `"retiringPepper","${ids.legacy}","'=HYPERLINK(""http://x"");'=cmd|' /C calc'!A0","o3",`,
    );
    expect(byQuery.text).toMatch(
      new RegExp(
        `\\r\\n"unused","${ids.b}","b","o1","service","active","development",("[^"]+",){4}"\\d+",95\\r\\n`,
      ),
    );
    expect(byQuery.text.endsWith('\r\n')).toBe(true);
  });

  it('counts a fresh rotation successor as new, not never used, and gives hours for a key about to expire', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ name: 'rotated now', owner: 'o-fresh' })))
      .body;
    const rotated = await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, { gracePeriodSeconds: 3600 });
    expect(rotated.status, rotated.text).toBe(201);
    const report = (await svc.api('GET', '/v1/reports/compliance')).body;
    expect(keyIds(report.neverUsed)).not.toContain(rotated.body.key.keyId);
    expect(report.newSuccessors).toBeGreaterThanOrEqual(1);
    // The old key runs out its one-hour grace: 1 day left, rounded up, and 1 hour.
    expect(report.expiringSoon).toContainEqual(
      expect.objectContaining({ keyId: key.keyId, daysLeft: 1, hoursLeft: 1 }),
    );
    // A week on, an unused successor is "never used" like any key.
    const saved = T;
    T = Date.now() + 8 * DAY;
    const later = (await reportAt('/v1/reports/compliance')).body;
    T = saved;
    expect(keyIds(later.neverUsed)).toContain(rotated.body.key.keyId);
  });
});
