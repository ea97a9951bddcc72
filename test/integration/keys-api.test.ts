import { describe, expect, it } from 'vitest';
import { itemsOf, pagesOf } from '../support/api.ts';
import { atTime, newKey, useTestService } from '../support/service.ts';

const svc = useTestService();

describe('key lifecycle through the local HTTP API', () => {
  it('create → get → list → patch → revoke → delete', async () => {
    const created = await svc.api('POST', '/v1/keys', {
      ...newKey({ owner: 'lifecycle' }),
      name: 'Production Server',
      description: 'the billing backend',
      metadata: { team: 'billing' },
      type: 'service',
      roles: ['read', 'write'],
      permissions: ['orders:refund'],
      environment: 'development',
      rotationDays: 30,
      ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'],
      usageIdentifierKey: 'usage-plan-key',
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(created.status).toBe(201);
    const { key, secret } = created.body;
    expect(secret).toMatch(/^lk_test_/);
    expect(secret).toContain(key.keyId.slice(4));
    expect(key).toMatchObject({
      name: 'Production Server',
      description: 'the billing backend',
      metadata: { team: 'billing' },
      owner: 'lifecycle',
      type: 'service',
      scope: { workspaceId: 'ws-1' },
      roles: ['read', 'write'],
      permissions: ['orders:refund'],
      environment: 'development',
      rotationDays: 30,
      ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'],
      usageIdentifierKey: 'usage-plan-key',
      expiresAt: '2099-01-01T00:00:00.000Z',
      status: 'active',
      createdBy: 'local-admin',
      lastUsedAt: null,
      rotationDue: false,
      version: 1,
    });
    expect(Date.parse(key.rotationDueAt) - Date.parse(key.createdAt)).toBe(30 * 86_400_000);
    expect(JSON.stringify(key)).not.toMatch(/secretHash|pepperVersion/);

    const got = await svc.api('GET', `/v1/keys/${key.keyId}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(key);
    expect(got.headers.get('etag')).toBe('"1"');
    expect(got.text).not.toContain(secret);

    const listed = await svc.api('GET', '/v1/keys?owner=lifecycle');
    expect(listed.body.items.map((k: { keyId: string }) => k.keyId)).toEqual([key.keyId]);

    const patched = await svc.api(
      'PATCH',
      `/v1/keys/${key.keyId}`,
      { name: 'Production Server v2', enabled: false, ipAllowlist: null, metadata: { team: 'payments' } },
      { 'if-match': '"1"' },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Production Server v2', status: 'inactive', version: 2 });
    expect(patched.body.metadata).toEqual({ team: 'payments' });
    expect(patched.body).not.toHaveProperty('ipAllowlist');

    const revoked = await svc.api('POST', `/v1/keys/${key.keyId}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', version: 3 });
    expect(revoked.body.revokedAt).toBeTruthy();
    expect((await svc.api('POST', `/v1/keys/${key.keyId}/revoke`)).body.version).toBe(3);

    const afterRevoke = await svc.api('PATCH', `/v1/keys/${key.keyId}`, { name: 'again' });
    expect(afterRevoke.status).toBe(409);
    expect(afterRevoke.body.error.code).toBe('KEY_REVOKED');

    expect((await svc.api('DELETE', `/v1/keys/${key.keyId}`)).status).toBe(204);
    expect((await svc.api('GET', `/v1/keys/${key.keyId}`)).status).toBe(404);
    expect((await svc.api('DELETE', `/v1/keys/${key.keyId}`)).status).toBe(404);
  });

  it('names the key by its ID when no name is given', async () => {
    const { body } = await svc.api('POST', '/v1/keys', newKey());
    expect(body.key.name).toBe(body.key.keyId);
    expect(body.secret).toMatch(/^lk_live_/);
  });

  it('lists with every filter, newest first, paginated by cursor', async () => {
    const owner = 'filters';
    const make = async (extra: Record<string, unknown>) =>
      (await svc.api('POST', '/v1/keys', { ...newKey({ owner }), ...extra })).body.key;
    const a = await make({ name: 'Alpha mobile', roles: ['read'], type: 'personal' });
    const b = await make({ name: 'Beta server', roles: ['write'], description: 'MOBILE backend' });
    const c = await make({
      name: 'Gamma',
      roles: ['admin'],
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    const d = await make({ name: 'Delta' });
    await svc.api('PATCH', `/v1/keys/${d.keyId}`, { enabled: false });
    const e = await make({ name: 'Epsilon' });
    await svc.api('POST', `/v1/keys/${e.keyId}/revoke`);

    const ids = async (query: string) => {
      const res = await svc.api('GET', `/v1/keys?owner=${owner}&${query}`);
      expect(res.status, res.text).toBe(200);
      return res.body.items.map((k: { keyId: string }) => k.keyId);
    };
    // Newest first within each stored status: active, then disabled, then revoked.
    expect(await ids('')).toEqual([c, b, a, d, e].map((k) => k.keyId));
    expect(await ids('search=mobile')).toEqual([b.keyId, a.keyId]);
    expect(await ids(`search=${c.keyId.slice(4, 12)}`)).toEqual([c.keyId]);
    expect(await ids('role=write')).toEqual([b.keyId]);
    expect(await ids('type=personal')).toEqual([a.keyId]);
    expect(await ids('status=inactive')).toEqual([d.keyId]);
    expect(await ids('status=revoked')).toEqual([e.keyId]);
    expect(await ids('rotationDue=true')).toEqual([]);
    expect(await ids('rotationDue=false')).toHaveLength(5);

    // The service's clock moves past Gamma's expiry.
    await atTime(Date.parse(c.expiresAt) + 1, async () => {
      expect(await ids('status=expired')).toEqual([c.keyId]);
      expect(await ids('status=active')).toEqual([b.keyId, a.keyId]);
    });

    // Without an owner the status index serves the list; status alone must not scan.
    const inactive = await svc.api('GET', '/v1/keys?status=inactive');
    expect(inactive.body.items.map((k: { keyId: string }) => k.keyId)).toContain(d.keyId);

    const seen: string[] = [];
    for await (const page of pagesOf<{ items: { keyId: string }[]; nextCursor: string | null }>(
      svc.api,
      `/v1/keys?owner=${owner}&limit=2`,
    )) {
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((k) => k.keyId));
    }
    expect(seen).toEqual([c, b, a, d, e].map((k) => k.keyId));

    const all = (await itemsOf<{ keyId: string }>(svc.api, '/v1/keys?limit=3')).map((k) => k.keyId);
    expect(new Set(all).size).toBe(all.length);
    for (const k of [a, b, c, d, e]) expect(all).toContain(k.keyId);
  });

  it('matches the owner filter against any part of the owner, in any case, as search does', async () => {
    const make = async (owner: string) =>
      (await svc.api('POST', '/v1/keys', newKey({ owner, name: `owned by ${owner}` }))).body.key.keyId;
    const alice = await make('owner-sub-alice');
    const alicia = await make('Owner-Sub-Alicia@Example.com');
    const bob = await make('owner-sub-bob');
    const ids = async (owner: string) => {
      const res = await svc.api('GET', `/v1/keys?owner=${encodeURIComponent(owner)}`);
      expect(res.status, res.text).toBe(200);
      return res.body.items.map((k: { keyId: string }) => k.keyId).sort();
    };
    expect(await ids('owner-sub-ali')).toEqual([alice, alicia].sort());
    expect(await ids('SUB-ALICIA@example')).toEqual([alicia]);
    expect(await ids('sub-bob')).toEqual([bob]);
    expect(await ids('owner-sub-')).toEqual([alice, alicia, bob].sort());
    expect(await ids('owner-sub-carol')).toEqual([]);
    // A key-ID search with an owner keeps to that owner, by the same rule.
    const byId = await svc.api('GET', `/v1/keys?search=${alicia}&owner=alicia`);
    expect(byId.body.items.map((k: { keyId: string }) => k.keyId)).toEqual([alicia]);
  });

  it('20 parallel PATCHes with the same If-Match: exactly one wins, the rest get 412', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'race' }))).body;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        svc.api(
          'PATCH',
          `/v1/keys/${key.keyId}`,
          { name: `writer ${i}` },
          { 'if-match': `"${key.version}"` },
        ),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const final = await svc.api('GET', `/v1/keys/${key.keyId}`);
    expect(final.body.version).toBe(2);
    expect(final.body.name).toBe(results.find((r) => r.status === 200)?.body.name);
  });

  it('answers a stale If-Match with 412 and a malformed one with 400', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey())).body;
    await svc.api('PATCH', `/v1/keys/${key.keyId}`, { name: 'one' });
    const stale = await svc.api('PATCH', `/v1/keys/${key.keyId}`, { name: 'two' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('PRECONDITION_FAILED');
    const bad = await svc.api('PATCH', `/v1/keys/${key.keyId}`, { name: 'two' }, { 'if-match': 'banana' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('If-Match');
  });
});

describe('bad input', () => {
  it('names every bad field, unknown fields included', async () => {
    const res = await svc.api('POST', '/v1/keys', {
      owner: '',
      scope: { workspaceId: 'ws' },
      roles: 'admin',
      permissions: ['not a permission'],
      ipAllowlist: ['300.0.0.1'],
      expiresAt: 'tomorrow',
      type: 'robot',
      colour: 'blue',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    for (const field of ['owner', 'roles', 'permissions.0', 'ipAllowlist.0', 'expiresAt', 'type', 'colour']) {
      expect(fields).toContain(field);
    }
  });

  it('refuses too-long strings and lists', async () => {
    const res = await svc.api('POST', '/v1/keys', {
      ...newKey(),
      name: 'x'.repeat(129),
      permissions: Array.from({ length: 101 }, (_, i) => `p:${i}`),
      metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])),
    });
    expect(res.status).toBe(400);
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'permissions', 'metadata']));
  });

  it('refuses malformed JSON, a wrong content type, and an oversized body', async () => {
    const malformed = await svc.api('POST', '/v1/keys', '{"owner":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/JSON/);
    const wrongType = await svc.api('POST', '/v1/keys', 'owner=a', { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    const huge = await svc.api('POST', '/v1/keys', { ...newKey(), description: 'x'.repeat(40_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses an expiry in the past, unknown roles, bad cursors and bad key IDs', async () => {
    const past = await svc.api('POST', '/v1/keys', { ...newKey(), expiresAt: '2001-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.error.details).toEqual([{ field: 'expiresAt', message: 'must be in the future' }]);
    const role = await svc.api('POST', '/v1/keys', { ...newKey(), roles: ['nobody-made-this'] });
    expect(role.status).toBe(400);
    expect(role.body.error.details[0].message).toMatch(/nobody-made-this/);
    expect((await svc.api('GET', '/v1/keys?cursor=garbage')).status).toBe(400);
    expect((await svc.api('GET', '/v1/keys?limit=0')).status).toBe(400);
    expect((await svc.api('GET', '/v1/keys?sort=name')).body.error.details[0].field).toBe('query.sort');
    expect((await svc.api('GET', '/v1/keys/not-a-key')).status).toBe(400);
    expect((await svc.api('GET', '/v1/keys/key_0000000000000000000000')).status).toBe(404);
    expect((await svc.api('PATCH', '/v1/keys/key_0000000000000000000000', {})).status).toBe(400);
  });

  it('requires the admin token on /v1 but not on /healthz', async () => {
    const anonymous = await fetch(`${svc.url}/v1/keys`);
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`${svc.url}/v1/keys`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    expect((await svc.api('PUT', '/v1/keys')).status).toBe(405);
    expect((await svc.api('GET', '/v1/nothing')).status).toBe(404);
  });
});
