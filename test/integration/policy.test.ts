import { describe, expect, it } from 'vitest';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { storedKey } from '../support/fixtures.ts';
import { startServerProcess } from '../support/process.ts';
import { newKey, storeKeyRecord, useTestService } from '../support/service.ts';

const svc = useTestService({
  env: {
    LATCHKEY_POLICY: JSON.stringify({
      maxLifetimeDays: 90,
      requireExpiry: true,
      personalKeysMayNotHold: ['admin', 'billing:refund'],
      maxKeysPerOwner: 3,
    }),
  },
});

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

describe('the compliance policy (LATCHKEY_POLICY) through the API', () => {
  it('create: 422 POLICY_VIOLATION naming each rule and field; within the policy, 201', async () => {
    const none = await svc.api('POST', '/v1/keys', newKey({ owner: 'p-create' }));
    expect(none.status).toBe(422);
    expect(none.body.error.code).toBe('POLICY_VIOLATION');
    expect(none.body.error.details).toEqual([
      {
        rule: 'maxLifetimeDays',
        field: 'expiresAt',
        message: expect.stringMatching(/^is required: .*90 days/),
      },
    ]);

    const both = await svc.api(
      'POST',
      '/v1/keys',
      newKey({ owner: 'p-create', type: 'personal', roles: ['admin'], expiresAt: inDays(91) }),
    );
    expect(both.status).toBe(422);
    expect(
      both.body.error.details.map((d: { rule: string; field: string }) => `${d.rule}:${d.field}`),
    ).toEqual(['maxLifetimeDays:expiresAt', 'personalKeysMayNotHold:roles']);
    expect(both.body.error.message).toMatch(/maxLifetimeDays: expiresAt must be at most 90 days/);

    const perm = await svc.api(
      'POST',
      '/v1/keys',
      newKey({ owner: 'p-create', type: 'personal', permissions: ['billing:*'], expiresAt: inDays(30) }),
    );
    expect(perm.status).toBe(422);
    expect(perm.body.error.details[0]).toMatchObject({
      rule: 'personalKeysMayNotHold',
      field: 'permissions',
    });

    const ok = await svc.api('POST', '/v1/keys', newKey({ owner: 'p-create', expiresAt: inDays(90) }));
    expect(ok.status, ok.text).toBe(201);
    // Nothing was written for the refused ones.
    const listed = await svc.api('GET', '/v1/keys?owner=p-create');
    expect(listed.body.items).toHaveLength(1);
  });

  it('update: a new expiry or new grants are held to the policy; 422 leaves the key as it was', async () => {
    const { key } = (
      await svc.api(
        'POST',
        '/v1/keys',
        newKey({ owner: 'p-update', type: 'personal', expiresAt: inDays(10) }),
      )
    ).body;
    const never = await svc.api('PATCH', `/v1/keys/${key.keyId}`, { expiresAt: null });
    expect(never.status).toBe(422);
    expect(never.body.error.details[0]).toMatchObject({ rule: 'maxLifetimeDays', field: 'expiresAt' });
    const admin = await svc.api('PATCH', `/v1/keys/${key.keyId}`, { roles: ['read', 'admin'] });
    expect(admin.status).toBe(422);
    expect(admin.body.error.details[0]).toMatchObject({ rule: 'personalKeysMayNotHold', field: 'roles' });
    const after = await svc.api('GET', `/v1/keys/${key.keyId}`);
    expect(after.body).toMatchObject({ version: 1, roles: ['read'], expiresAt: key.expiresAt });
    const renamed = await svc.api('PATCH', `/v1/keys/${key.keyId}`, {
      name: 'still fine',
      expiresAt: inDays(60),
    });
    expect(renamed.status, renamed.text).toBe(200);
  });

  it('rotate: the new key must satisfy the policy; a successor lives at most maxLifetimeDays', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'p-rotate', expiresAt: inDays(30) })))
      .body;
    const rotated = await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, { gracePeriodSeconds: 0 });
    expect(rotated.status, rotated.text).toBe(201);
    expect(rotated.body.key.expiresAt).toBe(key.expiresAt);

    // Written before the policy: personal, admin, no expiry.
    const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'q'.repeat(40) }));
    const { record } = storedKey(peppers, {
      owner: 'p-rotate',
      type: 'personal',
      roles: ['admin'],
      expiresAt: null,
    });
    await storeKeyRecord(svc, record);
    const refused = await svc.api('POST', `/v1/keys/${record.keyId}/rotate`, { gracePeriodSeconds: 0 });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([
      expect.objectContaining({ rule: 'personalKeysMayNotHold', field: 'roles' }),
    ]);
    expect((await svc.api('GET', `/v1/keys/${record.keyId}`)).body).toMatchObject({
      status: 'active',
      version: 1,
    });

    // A service key from before the policy with no expiry: its successor lives at most 90 days.
    const legacy = storedKey(peppers, { owner: 'p-rotate', expiresAt: null });
    await storeKeyRecord(svc, legacy.record);
    const before = Date.now();
    const successor = await svc.api('POST', `/v1/keys/${legacy.record.keyId}/rotate`, {
      gracePeriodSeconds: 0,
    });
    expect(successor.status, successor.text).toBe(201);
    const lifetime = Date.parse(successor.body.key.expiresAt) - before;
    expect(lifetime).toBeGreaterThanOrEqual(90 * DAY);
    expect(lifetime).toBeLessThan(90 * DAY + 60_000);
  });

  it('import: a key that breaks the policy fails by index, naming the rule; the rest are stored', async () => {
    const res = await svc.api('POST', '/v1/keys/import', {
      keys: [
        { secret: `legacy-${'a'.repeat(30)}`, owner: 'p-import' },
        { secret: `legacy-${'b'.repeat(30)}`, owner: 'p-import', expiresAt: inDays(30) },
      ],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.failed).toEqual([
      {
        index: 0,
        error: { code: 'POLICY_VIOLATION', message: expect.stringMatching(/^maxLifetimeDays: expiresAt/) },
      },
    ]);
    expect(res.body.imported).toHaveLength(1);
  });

  it('maxKeysPerOwner sets the owner limit: the fourth key is 409 LIMIT_EXCEEDED with the limit', async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (await svc.api('POST', '/v1/keys', newKey({ owner: 'p-limit', expiresAt: inDays(5) }))).status,
      ).toBe(201);
    }
    const fourth = await svc.api('POST', '/v1/keys', newKey({ owner: 'p-limit', expiresAt: inDays(5) }));
    expect(fourth.status).toBe(409);
    expect(fourth.body.error).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      message: expect.stringContaining('maximum of 3'),
    });
  });

  it('a bad LATCHKEY_POLICY stops npm start with one line naming every bad field', async () => {
    const server = startServerProcess({
      LATCHKEY_MEMORY: '1',
      PORT: '0',
      LATCHKEY_POLICY: '{"maxLifetimeDays":0,"requireExpiry":"yes","maxKeys":3}',
    });
    expect(await server.exited).toBe(1);
    const line = server
      .output()
      .split('\n')
      .find((l) => l.startsWith('latchkey: configuration:'));
    expect(line).toMatch(
      /LATCHKEY_POLICY\.maxLifetimeDays: .*LATCHKEY_POLICY\.requireExpiry: .*LATCHKEY_POLICY\.maxKeys: is not a policy field/,
    );
    expect(server.output()).not.toMatch(/\n\s+at /);
  });
});
