import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { type ApiResponse, newKey, useTestService } from '../support/service.ts';

/**
 * Issue 14, parts 3 to 5, end to end on DynamoDB Local: canary keys, importing existing secrets,
 * and pepper rotation and retirement. The tests of this file run in order: the pepper part
 * retires the version every earlier key was made under.
 */
const svc = useTestService({
  env: {
    // Low enough for the import to meet it; no other owner here comes near it.
    LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER: '8',
    // Trips and usage reach the tables within a second.
    LATCHKEY_USAGE_FLUSH_SECONDS: '1',
  },
});
/** Everything the process wrote (its log lines, the local event log's lines). */
const written: string[] = [];
beforeAll(() => {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      written.push(String(chunk));
      return original(chunk, ...rest);
    }) as typeof stream.write);
  }
});
afterAll(() => vi.restoreAllMocks());

const demo = (secret: string, headers: Record<string, string> = {}) =>
  svc.demo(secret, { path: '/demo/orders/1', headers: { 'x-workspace-id': 'ws-1', ...headers } });
const verify = (key: string, extra: Record<string, unknown> = {}) =>
  svc.api('POST', '/v1/verify', { key, ...extra });
/** Headers that may differ between any two answers: the clock and the request's own ID. */
const stableHeaders = (headers: Headers) => {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!['date', 'x-request-id', 'x-amzn-requestid'].includes(name)) out[name] = value;
  });
  return out;
};

async function everyItem(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (const table of Object.values(svc.tables)) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await dynamoDocument().send(
        new ScanCommand({ TableName: table, ExclusiveStartKey: start }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
  }
  return items;
}

describe('canary keys', () => {
  let canary: { key: ApiResponse['body']; secret: string };
  /** A live key beside it: a canary is answered as this key's wrong secret is. */
  let live: { key: ApiResponse['body']; secret: string };
  beforeAll(async () => {
    canary = (await svc.api('POST', '/v1/keys', newKey({ name: 'planted', type: 'canary' }))).body;
    live = (await svc.api('POST', '/v1/keys', newKey({ name: 'live', owner: 'canary-neighbour' }))).body;
  });
  /** A secret naming `keyId`, with a valid checksum and a made-up secret part. */
  const forged = (keyId: string) => newSecret(keyId, 'production');

  it('is created and listed with type canary', async () => {
    expect(canary.key).toMatchObject({ type: 'canary', status: 'active' });
    const listed = await svc.api('GET', '/v1/keys?type=canary');
    expect(listed.body.items.map((k: { keyId: string }) => k.keyId)).toEqual([canary.key.keyId]);
  });

  it('is refused at /demo exactly as a live key’s wrong secret, with its own secret or any other: same status, body and headers', async () => {
    const wrong = await demo(forged(live.key.keyId));
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text).error.code).toBe('INVALID_SECRET');
    for (const presented of [await demo(canary.secret), await demo(forged(canary.key.keyId))]) {
      expect(presented.status).toBe(wrong.status);
      expect(presented.text).toBe(wrong.text);
      expect(stableHeaders(presented.headers)).toEqual(stableHeaders(wrong.headers));
    }
  });

  it('is refused by /v1/verify exactly as a live key’s wrong secret', async () => {
    const wrong = await verify(forged(live.key.keyId));
    expect(wrong.body).toEqual({ valid: false, code: 'INVALID_SECRET' });
    for (const presented of [await verify(canary.secret), await verify(forged(canary.key.keyId))]) {
      expect(presented.status).toBe(wrong.status);
      expect(presented.text).toBe(wrong.text);
    }
  });

  it('trips on a made-up secret that names its key ID, as on its own secret', async () => {
    await demo(forged(canary.key.keyId), { 'user-agent': 'prober/0.1' });
    await vi.waitFor(async () => {
      const events = (await svc.api('GET', '/v1/events?limit=100')).body.items as Array<{
        detailType: string;
        detail: Record<string, unknown>;
      }>;
      expect(
        events.some(
          (e) =>
            e.detailType === 'API Key Canary Triggered' &&
            e.detail.keyId === canary.key.keyId &&
            e.detail.userAgent === 'prober/0.1',
        ),
      ).toBe(true);
    });
  });

  it('publishes "API Key Canary Triggered" with the key, source IP, user agent, route and time', async () => {
    await demo(canary.secret, { 'user-agent': 'curious-attacker/1.0' });
    await verify(canary.secret, { sourceIp: '203.0.113.9' });
    await vi.waitFor(async () => {
      const events = (await svc.api('GET', '/v1/events?limit=100')).body.items as Array<{
        detailType: string;
        detail: Record<string, unknown>;
      }>;
      const triggered = events.filter((e) => e.detailType === 'API Key Canary Triggered');
      expect(triggered.map((e) => e.detail)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            keyId: canary.key.keyId,
            userAgent: 'curious-attacker/1.0',
            route: 'GET /demo/orders/1',
            at: expect.any(String),
          }),
          expect.objectContaining({
            keyId: canary.key.keyId,
            sourceIp: '203.0.113.9',
            route: 'POST /v1/verify',
          }),
        ]),
      );
    });
  });

  it('records each trip on the key, off the check path: how many, when, and from where', async () => {
    const planted = (await svc.api('POST', '/v1/keys', newKey({ name: 'backup creds', type: 'canary' })))
      .body;
    const before = Date.now();
    await demo(planted.secret);
    await verify(planted.secret, { sourceIp: '203.0.113.9' });
    await vi.waitFor(
      async () => {
        const key = (await svc.api('GET', `/v1/keys/${planted.key.keyId}`)).body;
        expect(key).toMatchObject({
          tripCount: 2,
          lastTripSourceIp: '203.0.113.9',
          lastTripRoute: 'POST /v1/verify',
          lastUsedAt: null,
          status: 'active',
        });
        expect(Date.parse(key.firstTrippedAt)).toBeGreaterThanOrEqual(before - 1000);
        expect(key.lastTrippedAt >= key.firstTrippedAt).toBe(true);
      },
      { timeout: 10_000, interval: 200 },
    );
    // Each trip is a refused request in the key's usage.
    const usage = (await svc.api('GET', `/v1/keys/${planted.key.keyId}/usage?days=1`)).body;
    expect(usage.total).toEqual({ allowed: 0, refused: 2 });
  });

  it('is never reminded to rotate, and can be revoked and deleted', async () => {
    const sweep = await svc.api('POST', '/v1/rotation/sweep', {
      asOf: '2099-01-01T00:00:00.000Z',
      dryRun: true,
    });
    expect(sweep.status).toBe(200);
    expect(JSON.stringify(sweep.body)).not.toContain(canary.key.keyId);
    const spare = (await svc.api('POST', '/v1/keys', newKey({ type: 'canary' }))).body;
    expect((await svc.api('POST', `/v1/keys/${spare.key.keyId}/revoke`)).body.status).toBe('revoked');
    expect((await svc.api('DELETE', `/v1/keys/${spare.key.keyId}`)).status).toBe(204);
  });
});

describe('importing existing keys', () => {
  // The shape of API Gateway API key values (40 characters), and of another system's tokens.
  const gatewayValue = randomBytes(30).toString('base64url');
  const otherSystem = `sk-${randomBytes(24).toString('hex')}`;
  let imported: ApiResponse['body'][];

  it('stores them (HMAC only), marked imported and due for rotation at once', async () => {
    const before = Date.now();
    const res = await svc.api('POST', '/v1/keys/import', {
      keys: [
        {
          secret: gatewayValue,
          name: 'legacy gateway key',
          owner: 'team-orders',
          scope: { workspaceId: 'ws-1' },
        },
        { secret: otherSystem, roles: ['read', 'write'], owner: 'alice', scope: { workspaceId: 'ws-1' } },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.failed).toEqual([]);
    imported = res.body.imported;
    expect(imported).toHaveLength(2);
    expect(imported[0]).toMatchObject({ name: 'legacy gateway key', owner: 'team-orders', imported: true });
    expect(imported[1]).toMatchObject({ roles: ['read', 'write'], imported: true });
    expect(Date.parse(imported[0].rotationDueAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(imported[0].rotationDueAt)).toBeLessThanOrEqual(Date.now());
    expect(res.text).not.toContain(gatewayValue);
    expect(res.text).not.toContain(otherSystem);
  });

  it('verifies them through /v1/verify and the authorizer in front of /demo', async () => {
    const checked = await verify(gatewayValue);
    expect(checked.body).toMatchObject({ valid: true, code: 'VALID', key: { keyId: imported[0].keyId } });
    const res = await demo(otherSystem);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).authorizer).toMatchObject({ keyId: imported[1].keyId, roles: 'read,write' });
    // An unknown secret of the same shape: one read, NOT_FOUND; garbage: MALFORMED, no read.
    expect((await verify(randomBytes(30).toString('base64url'))).body.code).toBe('NOT_FOUND');
    expect((await verify('short')).body.code).toBe('MALFORMED');
    expect((await verify('has a space in it, twenty chars')).body.code).toBe('MALFORMED');
  });

  it('refuses a secret that is already stored, and does not store it twice', async () => {
    const again = await svc.api('POST', '/v1/keys/import', {
      keys: [{ secret: randomBytes(30).toString('base64url') }, { secret: gatewayValue, name: 'dup' }],
    });
    expect(again.status).toBe(201);
    expect(again.body.imported).toHaveLength(1);
    expect(again.body.failed).toEqual([
      {
        index: 1,
        error: {
          code: 'ALREADY_IMPORTED',
          message: `this secret is already stored, as key ${imported[0].keyId}`,
        },
      },
    ]);
    const listed = await svc.api('GET', '/v1/keys?owner=team-orders');
    expect(listed.body.items.filter((k: { imported?: boolean }) => k.imported)).toHaveLength(1);
  });

  it('revokes an imported key whose secret an operator reports as leaked', async () => {
    const leaked = randomBytes(30).toString('base64url');
    const stored = await svc.api('POST', '/v1/keys/import', {
      keys: [{ secret: leaked, name: 'leaked legacy' }],
    });
    const { keyId } = stored.body.imported[0];
    const report = await svc.api('POST', '/v1/leaks', { secret: leaked, url: 'https://paste.example/x' });
    expect(report.status, report.text).toBe(200);
    expect(report.text).not.toContain(leaked);
    expect((await svc.api('GET', `/v1/keys/${keyId}`)).body.status).toBe('revoked');
    expect((await verify(leaked)).body.code).toBe('REVOKED');
  });

  it('answers 400 naming every bad field, and past 100 keys', async () => {
    const bad = await svc.api('POST', '/v1/keys/import', {
      keys: [
        { secret: 'short' },
        { secret: newSecret(newKeyId(), 'production') },
        { secret: 'x'.repeat(30), bogus: 1 },
      ],
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['keys.0.secret', 'keys.1.secret', 'keys.2.bogus']));
    const tooMany = await svc.api('POST', '/v1/keys/import', {
      keys: Array.from({ length: 101 }, (_, i) => ({ secret: `key-number-${i}-of-many-xx` })),
    });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('at most 100');
  });

  it("counts against the owner's active-key limit, like a create", async () => {
    const res = await svc.api('POST', '/v1/keys/import', {
      keys: Array.from({ length: 9 }, () => ({
        secret: randomBytes(24).toString('base64url'),
        owner: 'capped',
      })),
    });
    expect(res.status).toBe(201);
    expect(res.body.imported).toHaveLength(8);
    expect(res.body.failed).toEqual([
      {
        index: 8,
        error: { code: 'LIMIT_EXCEEDED', message: 'owner "capped" already has the maximum of 8 active keys' },
      },
    ]);
    const audit = await svc.api('GET', `/v1/audit?keyId=${res.body.imported[0].keyId}`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'key.imported', actor: 'local-admin' }),
    ]);
  });

  it('is flagged by the next rotation sweep', async () => {
    const sweep = await svc.api('POST', '/v1/rotation/sweep', { dryRun: true });
    expect(sweep.body.flagged.map((f: { keyId: string }) => f.keyId)).toEqual(
      expect.arrayContaining([imported[0].keyId, imported[1].keyId]),
    );
  });

  it('never stores or logs an imported secret in plaintext', async () => {
    const everything = JSON.stringify(await everyItem());
    expect(everything).toContain(imported[0].keyId);
    for (const secret of [gatewayValue, otherSystem]) {
      expect(everything).not.toContain(secret);
      expect(written.join('')).not.toContain(secret);
    }
  });
});

describe('pepper rotation', () => {
  const pepperDoc = () => JSON.parse(readFileSync(join(svc.dataDir, 'pepper.json'), 'utf8'));
  let before: { key: ApiResponse['body']; secret: string };
  let after: { key: ApiResponse['body']; secret: string };
  const legacyImport = `legacy-${randomBytes(20).toString('hex')}`;

  it('adds a version; keys from before and after both verify', async () => {
    before = (await svc.api('POST', '/v1/keys', newKey({ name: 'before' }))).body;
    await svc.api('POST', '/v1/keys/import', {
      keys: [{ secret: legacyImport, scope: { workspaceId: 'ws-1' } }],
    });
    const listed = await svc.api('GET', '/v1/pepper');
    expect(listed.body).toMatchObject({ currentVersion: '1', versions: [{ version: '1', current: true }] });
    expect(listed.body.versions[0].liveKeys).toBeGreaterThanOrEqual(2);

    const rotated = await svc.api('POST', '/v1/pepper/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ currentVersion: '2', previousVersion: '1' });
    expect(pepperDoc()).toMatchObject({ version: '2', previous: { '1': expect.any(String) } });
    expect(JSON.stringify(rotated.body)).not.toContain(pepperDoc().pepper);

    after = (await svc.api('POST', '/v1/keys', newKey({ name: 'after' }))).body;
    for (const secret of [before.secret, after.secret, legacyImport]) {
      expect((await verify(secret)).body.code).toBe('VALID');
      expect((await demo(secret)).status).toBe(200);
    }
    const items = await everyItem();
    expect(items.find((i) => i.keyId === before.key.keyId)).toMatchObject({ pepperVersion: '1' });
    expect(items.find((i) => i.keyId === after.key.keyId)).toMatchObject({ pepperVersion: '2' });
  });

  it('refuses to retire a version live keys use, naming how many, then retires it once they are rotated', async () => {
    const listed = (await svc.api('GET', '/v1/pepper')).body;
    const v1 = listed.versions.find((v: { version: string }) => v.version === '1');
    const v2 = listed.versions.find((v: { version: string }) => v.version === '2');
    expect(v2).toMatchObject({ current: true, liveKeys: 1, countedBy: 'counter' });
    expect(v1.liveKeys).toBeGreaterThanOrEqual(3);

    const refused = await svc.api('POST', '/v1/pepper/versions/1/retire');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(`still used by ${v1.liveKeys} live keys`);
    expect((await svc.api('POST', '/v1/pepper/versions/2/retire')).status).toBe(409);
    expect((await svc.api('POST', '/v1/pepper/versions/7/retire')).status).toBe(404);

    // Rotate every key that holds a slot under version 1 (each successor hashes under version 2).
    const live = [];
    for (const status of ['active', 'inactive']) {
      live.push(...(await svc.api('GET', `/v1/keys?status=${status}&limit=100`)).body.items);
    }
    const rotatedLegacy: Record<string, string> = {};
    for (const key of live) {
      if (key.keyId === after.key.keyId) continue;
      const res = await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, { gracePeriodSeconds: 0 });
      expect(res.status, res.text).toBe(201);
      rotatedLegacy[key.keyId] = res.body.secret;
    }
    expect((await svc.api('GET', '/v1/pepper')).body.versions).toEqual(
      expect.arrayContaining([expect.objectContaining({ version: '1', liveKeys: 0 })]),
    );

    const retired = await svc.api('POST', '/v1/pepper/versions/1/retire');
    expect(retired.status, retired.text).toBe(200);
    expect(retired.body).toEqual({ retired: '1', currentVersion: '2' });
    expect(pepperDoc().previous).toEqual({});
    expect((await svc.api('GET', '/v1/pepper')).body.versions).toEqual([
      expect.objectContaining({ version: '2', current: true, liveKeys: expect.any(Number) }),
    ]);
    // The keys that replaced version 1's still verify, and the old secret of a rotated key does not.
    expect((await verify(after.secret)).body.code).toBe('VALID');
    expect((await verify(rotatedLegacy[before.key.keyId] as string)).body.code).toBe('VALID');
    expect((await verify(before.secret)).body.code).not.toBe('VALID');
    const audit = await svc.api('GET', '/v1/audit?action=pepper.retired');
    expect(audit.status).toBe(200);
  });
});
