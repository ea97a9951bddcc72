import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { localClient } from '../../local/dynamodb-local.ts';
import { newKey, useTestService } from '../support/service.ts';

const ROLE_CACHE_SECONDS = 1;
const USAGE_FLUSH_SECONDS = 1;

const svc = useTestService({
  env: {
    LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER: '10',
    LATCHKEY_ROLE_CACHE_SECONDS: String(ROLE_CACHE_SECONDS),
    LATCHKEY_USAGE_FLUSH_SECONDS: String(USAGE_FLUSH_SECONDS),
    LATCHKEY_ROUTE_PERMISSIONS: JSON.stringify({
      'GET /demo/reports*': 'reports:read',
      'POST /demo/*': 'orders:write',
    }),
  },
});

async function ownerCounter(owner: string): Promise<number> {
  const client = localClient(svc.dynamoEndpoint);
  const out = await client.send(
    new GetItemCommand({ TableName: svc.tables.owners, Key: { owner: { S: owner } }, ConsistentRead: true }),
  );
  client.destroy();
  return Number(out.Item?.activeKeys?.N ?? 0);
}

/** Polls until `check` passes or `withinMs` runs out; answers how long it took. */
async function within(withinMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

const demo = async (path: string, secret: string, method = 'GET') =>
  (await svc.demo(secret, { path, method })).status;

describe('owner limits', () => {
  it('50 parallel creates with a limit of 10: exactly 10 succeed and the counter equals the active keys', async () => {
    const owner = 'limited';
    const results = await Promise.all(
      Array.from({ length: 50 }, () => svc.api('POST', '/v1/keys', newKey({ owner }))),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(40);
    expect(refused[0]?.body.error.code).toBe('LIMIT_EXCEEDED');
    expect(refused[0]?.body.error.message).toContain('maximum of 10 active keys');
    const listed = await svc.api('GET', `/v1/keys?owner=${owner}&status=active&limit=100`);
    expect(listed.body.items).toHaveLength(10);
    expect(await ownerCounter(owner)).toBe(10);

    // Revoke and delete give a slot back; disabling does not.
    const [a, b, c] = listed.body.items as { keyId: string }[];
    await svc.api('PATCH', `/v1/keys/${c?.keyId}`, { enabled: false });
    expect((await svc.api('POST', '/v1/keys', newKey({ owner }))).status).toBe(409);
    await svc.api('POST', `/v1/keys/${a?.keyId}/revoke`);
    expect(await ownerCounter(owner)).toBe(9);
    await svc.api('DELETE', `/v1/keys/${b?.keyId}`);
    expect(await ownerCounter(owner)).toBe(8);
    await svc.api('DELETE', `/v1/keys/${a?.keyId}`);
    expect(await ownerCounter(owner)).toBe(8);
    expect((await svc.api('POST', '/v1/keys', newKey({ owner }))).status).toBe(201);
    expect(await ownerCounter(owner)).toBe(9);
  });
});

describe('roles', () => {
  it('creates, lists, changes and deletes custom roles, refusing duplicates and roles in use', async () => {
    const created = await svc.api('POST', '/v1/roles', {
      name: 'customer-service',
      description: 'Customer interaction features',
      permissions: ['tickets:read', 'tickets:write'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'customer-service', builtin: false, keyCount: 0, version: 1 });
    expect(
      (await svc.api('POST', '/v1/roles', { name: 'customer-service', permissions: ['x:y'] })).status,
    ).toBe(409);
    expect((await svc.api('POST', '/v1/roles', { name: 'admin', permissions: ['x:y'] })).status).toBe(409);
    const bad = await svc.api('POST', '/v1/roles', { name: 'Bad Name', permissions: [], extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['name', 'permissions', 'extra']),
    );

    const list = await svc.api('GET', '/v1/roles');
    expect(list.body.items.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(['read', 'write', 'admin', 'customer-service']),
    );
    expect((await svc.api('GET', '/v1/roles/read')).body).toMatchObject({
      builtin: true,
      permissions: ['*:read'],
    });
    expect((await svc.api('GET', '/v1/roles/nobody')).status).toBe(404);
    expect((await svc.api('PUT', '/v1/roles/admin', { permissions: ['x:y'] })).status).toBe(409);

    const { key } = (await svc.api('POST', '/v1/keys', newKey({ roles: ['customer-service'] }))).body;
    const inUse = await svc.api('DELETE', '/v1/roles/customer-service');
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ code: 'ROLE_IN_USE' });
    expect(inUse.body.error.message).toContain('used by 1 key');

    await svc.api('PATCH', `/v1/keys/${key.keyId}`, { roles: ['read'] });
    expect((await svc.api('GET', '/v1/roles/customer-service')).body.keyCount).toBe(0);
    await svc.api('PATCH', `/v1/keys/${key.keyId}`, { roles: ['customer-service'] });
    const other = (await svc.api('POST', '/v1/keys', newKey({ roles: ['customer-service'] }))).body.key;
    expect((await svc.api('GET', '/v1/roles/customer-service')).body.keyCount).toBe(2);
    await svc.api('DELETE', `/v1/keys/${other.keyId}`);
    expect((await svc.api('GET', '/v1/roles/customer-service')).body.keyCount).toBe(1);
    await svc.api('POST', `/v1/keys/${key.keyId}/revoke`);
    expect((await svc.api('DELETE', '/v1/roles/customer-service')).status).toBe(204);
    expect((await svc.api('GET', '/v1/roles/customer-service')).status).toBe(404);
    const gone = await svc.api('POST', '/v1/keys', newKey({ roles: ['customer-service'] }));
    expect(gone.status).toBe(400);
  });

  it(`a role change reaches a check within the documented bound (${ROLE_CACHE_SECONDS}s)`, async () => {
    await svc.api('POST', '/v1/roles', { name: 'reporting', permissions: ['reports:read'] });
    const { secret } = (await svc.api('POST', '/v1/keys', newKey({ roles: ['reporting'] }))).body;
    expect(await demo('/demo/reports/q3', secret)).toBe(200);
    const changed = await svc.api(
      'PUT',
      '/v1/roles/reporting',
      { permissions: ['reports:export'] },
      { 'if-match': '"1"' },
    );
    expect(changed.status).toBe(200);
    const tookMs = await within(
      ROLE_CACHE_SECONDS * 1000 + 1500,
      async () => (await demo('/demo/reports/q3', secret)) === 403,
    );
    expect(tookMs).toBeLessThanOrEqual(ROLE_CACHE_SECONDS * 1000 + 1500);
    expect(
      (await svc.api('PUT', '/v1/roles/reporting', { permissions: ['a:b'] }, { 'if-match': '"1"' })).status,
    ).toBe(412);
  });
});

describe('usage', () => {
  it('1,000 checks, sequential and parallel, show in usage within the flush bound', async () => {
    const { key, secret } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'busy' }))).body;
    for (let i = 0; i < 400; i++) expect(await demo('/demo/items', secret)).toBe(200);
    for (let batch = 0; batch < 10; batch++) {
      const statuses = await Promise.all(Array.from({ length: 50 }, () => demo('/demo/items', secret)));
      expect(statuses.every((s) => s === 200)).toBe(true);
    }
    const refused = await Promise.all(
      Array.from({ length: 100 }, () => demo('/demo/orders', secret, 'POST')),
    );
    expect(refused.every((s) => s === 403)).toBe(true);

    let usage:
      | {
          body: {
            days: { allowed: number; refused: number }[];
            total: { allowed: number; refused: number };
            lastUsedAt: string | null;
          };
        }
      | undefined;
    await within(USAGE_FLUSH_SECONDS * 1000 + 2000, async () => {
      usage = await svc.api('GET', `/v1/keys/${key.keyId}/usage?days=7`);
      return usage.body.total.allowed === 900 && usage.body.total.refused === 100;
    });
    expect(usage?.body.days).toHaveLength(7);
    expect(usage?.body.days.at(-1)).toMatchObject({ allowed: 900, refused: 100 });
    expect(usage?.body.lastUsedAt).toBeTruthy();
    expect((await svc.api('GET', `/v1/keys/${key.keyId}/usage?days=31`)).status).toBe(400);
    expect((await svc.api('GET', '/v1/keys/key_0000000000000000000000/usage')).status).toBe(404);
  });
});

describe('audit', () => {
  it('every management action leaves exactly one audit record, with the actor and the changed fields', async () => {
    const created = await svc.api('POST', '/v1/keys', newKey({ owner: 'audited', name: 'one' }));
    const { key, secret } = created.body;
    await svc.api('PATCH', `/v1/keys/${key.keyId}`, { name: 'two' });
    await svc.api('PATCH', `/v1/keys/${key.keyId}`, { name: 'two' }); // no change: no record
    await svc.api('PATCH', `/v1/keys/${key.keyId}`, { enabled: false });
    await svc.api('PATCH', `/v1/keys/${key.keyId}`, { enabled: true });
    await svc.api('POST', `/v1/keys/${key.keyId}/revoke`);
    await svc.api('POST', `/v1/keys/${key.keyId}/revoke`); // already revoked: no record
    await svc.api('DELETE', `/v1/keys/${key.keyId}`);

    const trail = await svc.api('GET', `/v1/audit?keyId=${key.keyId}`);
    expect(trail.status).toBe(200);
    const actions = trail.body.items.map((e: { action: string }) => e.action).reverse();
    expect(actions).toEqual([
      'key.created',
      'key.updated',
      'key.disabled',
      'key.enabled',
      'key.revoked',
      'key.deleted',
    ]);
    for (const entry of trail.body.items) {
      expect(entry).toMatchObject({ actor: 'local-admin', keyId: key.keyId });
      expect(entry.requestId).toBeTruthy();
    }
    expect(trail.body.items.find((e: { action: string }) => e.action === 'key.updated').changes).toEqual({
      name: { before: 'one', after: 'two' },
    });
    expect(trail.text).not.toContain(secret);
    expect(trail.text).not.toMatch(/secretHash|pepperVersion/);

    const byAction = await svc.api('GET', `/v1/audit?action=key.revoked&actor=local-admin&limit=100`);
    expect(byAction.body.items.some((e: { keyId: string }) => e.keyId === key.keyId)).toBe(true);
    const roleTrail = await svc.api('GET', '/v1/audit?action=role.created&limit=100');
    expect(roleTrail.body.items.map((e: { role: string }) => e.role)).toEqual(
      expect.arrayContaining(['reporting']),
    );

    const first = await svc.api('GET', `/v1/audit?keyId=${key.keyId}&limit=4`);
    expect(first.body.items).toHaveLength(4);
    const rest = await svc.api('GET', `/v1/audit?keyId=${key.keyId}&limit=4&cursor=${first.body.nextCursor}`);
    expect(rest.body.items).toHaveLength(2);
    expect(rest.body.nextCursor).toBeNull();
    expect((await svc.api('GET', '/v1/audit?cursor=nope')).status).toBe(400);
  });
});
