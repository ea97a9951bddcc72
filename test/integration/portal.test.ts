import { beforeAll, describe, expect, it } from 'vitest';
import { newKeyId } from '../../functions/domain/keys/secret.ts';
import { openLink, openPortal, type PortalUser, portalApi } from '../support/portal.ts';
import { createKey, useTestService } from '../support/service.ts';

/**
 * The portal on DynamoDB Local through the real handlers: two workspaces, three users. Each sees
 * exactly its keys; every other key, real or invented, is a 404 on every route.
 */
const service = useTestService();
const ids: Record<string, string> = {};

const create = async (name: string, body: Record<string, unknown>) => {
  const { key } = await createKey(service, { name, ...body });
  ids[name] = key.keyId;
  return key;
};

let alice: PortalUser;
let bob: PortalUser;
let carol: PortalUser;

beforeAll(async () => {
  await service.api('POST', '/v1/roles', { name: 'billing', permissions: ['invoices:read'] });
  // Workspace A: two service keys, a personal key each for alice and bob, a canary.
  await create('a-service-1', { scope: { workspaceId: 'ws-a' }, type: 'service', owner: 'team-a' });
  await create('a-service-2', { scope: { workspaceId: 'ws-a' }, type: 'service', owner: 'team-a' });
  await create('a-alice', { scope: { workspaceId: 'ws-a' }, type: 'personal', owner: 'alice' });
  await create('a-bob', { scope: { workspaceId: 'ws-a' }, type: 'personal', owner: 'bob' });
  await create('a-canary', { scope: { workspaceId: 'ws-a' }, type: 'canary', owner: 'team-a' });
  // An organization key reaching beyond workspace A: not inside a workspace-A session.
  await create('org-ab', {
    scope: { organizationId: 'org-1', workspaceIds: ['ws-a', 'ws-b'] },
    type: 'service',
    owner: 'team-a',
  });
  // Workspace B: a service key and carol's personal key.
  await create('b-service', { scope: { workspaceId: 'ws-b' }, type: 'service', owner: 'team-b' });
  await create('b-carol', { scope: { workspaceId: 'ws-b' }, type: 'personal', owner: 'carol' });

  alice = await openPortal(service, {
    subject: 'alice',
    scope: { workspaceId: 'ws-a' },
    roles: ['read', 'billing'],
    returnUrl: 'https://app.example.com/settings',
    branding: { productName: 'Acme', accentColor: '#0a7cff' },
  });
  bob = await openPortal(service, { subject: 'bob', scope: { workspaceId: 'ws-a' }, personalKeys: 'all' });
  carol = await openPortal(service, {
    subject: 'carol',
    scope: { organizationId: 'org-1', workspaceIds: ['ws-b'] },
    permissions: ['api.key.view'],
  });
}, 120_000);

const listed = async (user: PortalUser) => {
  const res = await user.api('GET', '/keys?limit=100');
  expect(res.status, res.text).toBe(200);
  return (res.body.items as { name: string }[]).map((k) => k.name).sort();
};

describe('what each portal user sees', () => {
  it('alice: the workspace service keys and her own personal key', async () => {
    expect(await listed(alice)).toEqual(['a-alice', 'a-service-1', 'a-service-2']);
  });

  it('bob (personalKeys: all): every personal key of the workspace too, never the canary', async () => {
    expect(await listed(bob)).toEqual(['a-alice', 'a-bob', 'a-service-1', 'a-service-2']);
  });

  it('carol (organization org-1, workspace ws-b): that workspace only', async () => {
    expect(await listed(carol)).toEqual(['b-carol', 'b-service']);
  });

  it('the session says who, what and how it looks', async () => {
    const res = await alice.api('GET', '/session');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      subject: 'alice',
      scope: { workspaceId: 'ws-a' },
      permissions: ['api.key.view', 'api.key.create', 'api.key.update', 'api.key.delete'],
      roles: ['read', 'billing'],
      types: ['personal', 'service'],
      personalKeys: 'own',
      returnUrl: 'https://app.example.com/settings',
      branding: { productName: 'Acme', accentColor: '#0a7cff' },
    });
    expect(res.text).not.toMatch(/codeHash|tokenHash/);
  });

  it('search narrows the list, within the scope', async () => {
    const res = await bob.api('GET', '/keys?search=service');
    expect((res.body.items as { name: string }[]).map((k) => k.name).sort()).toEqual([
      'a-service-1',
      'a-service-2',
    ]);
  });
});

describe('keys outside the session answer exactly as missing ones', () => {
  const routes = (keyId: string) =>
    [
      ['GET', `/keys/${keyId}`, undefined],
      ['PATCH', `/keys/${keyId}`, { name: 'taken' }],
      ['DELETE', `/keys/${keyId}`, undefined],
      ['POST', `/keys/${keyId}/revoke`, undefined],
      ['POST', `/keys/${keyId}/rotate`, { gracePeriodSeconds: 0 }],
      ['GET', `/keys/${keyId}/usage`, undefined],
    ] as const;

  it('1,000 key IDs (other workspaces, other users, canaries, invented) are 404 on every route', async () => {
    const foreign = [
      ids['b-service'],
      ids['b-carol'],
      ids['a-bob'],
      ids['a-canary'],
      ids['org-ab'],
    ] as string[];
    const candidates = [...foreign, ...Array.from({ length: 1000 - foreign.length }, () => newKeyId())];
    const answers = new Set<string>();
    const queue = candidates.flatMap((keyId) => routes(keyId).map((r) => ({ keyId, r })));
    const worker = async () => {
      for (let item = queue.pop(); item; item = queue.pop()) {
        const [method, path, body] = item.r;
        const res = await alice.api(method, path, body);
        expect(res.status, `${method} ${path}: ${res.text}`).toBe(404);
        answers.add(res.text.replace(item.keyId, '<id>'));
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));
    expect([...answers]).toEqual(['{"error":{"code":"NOT_FOUND","message":"key <id> not found"}}']);
    // Nothing of theirs changed.
    for (const keyId of foreign)
      expect((await service.api('GET', `/v1/keys/${keyId}`)).body.status).toBe('active');
  }, 120_000);
});

describe('what the session allows', () => {
  it('creates in the session scope, owned by the user, with the role asked for', async () => {
    const res = await alice.api('POST', '/keys', {
      name: 'alice laptop',
      type: 'personal',
      roles: ['billing'],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.secret).toMatch(/^lk_live_/);
    expect(res.body.key).toMatchObject({
      owner: 'alice',
      type: 'personal',
      scope: { workspaceId: 'ws-a' },
      roles: ['billing'],
      permissions: [],
      createdBy: 'portal:alice',
    });
    const service = await alice.api('POST', '/keys', {});
    expect(service.status).toBe(201);
    expect(service.body.key).toMatchObject({
      owner: 'workspace:ws-a',
      type: 'service',
      roles: ['read'],
      name: service.body.key.keyId,
    });
  });

  it('refuses what lies beyond the session with 403 naming each thing refused', async () => {
    const res = await alice.api('POST', '/keys', {
      type: 'canary',
      roles: ['admin'],
      permissions: ['orders:write'],
      scope: { workspaceId: 'ws-b' },
      owner: 'mallory',
      plan: 'free',
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((res.body.error.details as { field: string }[]).map((d) => d.field).sort()).toEqual([
      'owner',
      'permissions',
      'plan',
      'roles',
      'scope',
      'type',
    ]);
  });

  it('lets a change keep within the roles it may give', async () => {
    const res = await alice.api('PATCH', `/keys/${ids['a-alice']}`, { roles: ['admin'] });
    expect(res.status).toBe(403);
    const ok = await alice.api('PATCH', `/keys/${ids['a-alice']}`, {
      name: 'alice renamed',
      roles: ['billing'],
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ name: 'alice renamed', roles: ['billing'] });
  });

  it('a view-only session may look but not touch', async () => {
    expect((await carol.api('GET', `/keys/${ids['b-carol']}`)).status).toBe(200);
    const create = await carol.api('POST', '/keys', {});
    expect(create.status).toBe(403);
    expect(create.body.error.message).toMatch(/api\.key\.create/);
    expect((await carol.api('POST', `/keys/${ids['b-carol']}/revoke`)).status).toBe(403);
    expect((await carol.api('POST', `/keys/${ids['b-carol']}/rotate`, {})).status).toBe(403);
  });

  it('rotates and revokes its own keys, with the usage to show for it', async () => {
    const rotated = await bob.api('POST', `/keys/${ids['a-bob']}/rotate`, { gracePeriodSeconds: 3600 });
    expect(rotated.status, rotated.text).toBe(201);
    expect(rotated.body.previous.rotatedTo).toBe(rotated.body.key.keyId);
    expect(rotated.body.key.owner).toBe('bob');
    const usage = await bob.api('GET', `/keys/${rotated.body.key.keyId}/usage?days=7`);
    expect(usage.status).toBe(200);
    expect(usage.body.days).toHaveLength(7);
    const revoked = await bob.api('POST', `/keys/${rotated.body.key.keyId}/revoke`);
    expect(revoked.body.status).toBe('revoked');
  });

  it('holds the owner limit and the policy as for operators', async () => {
    const res = await bob.api('POST', '/keys', { expiresAt: '2001-01-01T00:00:00Z' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('expiresAt');
  });
});

describe('the session itself', () => {
  it('a link works once: opening it again is a 401 page', async () => {
    const again = await openLink(alice.url);
    expect(again.status).toBe(401);
    expect(again.text).toMatch(/expired/);
    expect(again.cookie).toBeUndefined();
  });

  it('a made-up or malformed code is the same 401 page', async () => {
    const made = await service.api('POST', '/v1/portal/sessions', {
      subject: 'dave',
      scope: { workspaceId: 'ws-a' },
    });
    const forged = made.body.url.replace(
      /code=([^.]+)\.(.)/,
      (_m: string, id: string, c: string) => `code=${id}.${c === 'A' ? 'B' : 'A'}`,
    );
    expect((await openLink(forged)).status).toBe(401);
    expect((await openLink(`${service.url}/portal/enter?code=nonsense`)).status).toBe(401);
    expect((await openLink(`${service.url}/portal/enter`)).status).toBe(401);
    // The forged attempt did not use up the real link.
    expect((await openLink(made.body.url)).status).toBe(303);
  });

  it('a request from another origin with the cookie is refused before anything happens', async () => {
    const res = await portalApi(
      service.url,
      alice.cookie,
      'POST',
      '/keys',
      {},
      { origin: 'https://evil.example' },
    );
    expect(res.status).toBe(403);
    const none = await fetch(`${service.url}/portal/api/keys`, {
      method: 'POST',
      headers: { cookie: alice.cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(403);
  });

  it('no cookie, or a forged one, is a 401', async () => {
    expect((await portalApi(service.url, undefined, 'GET', '/keys')).status).toBe(401);
    const forged = alice.cookie.replace(/\.(.)/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
    expect((await portalApi(service.url, forged, 'GET', '/keys')).status).toBe(401);
  });

  it('an operator ends a session at once; logging out ends one too', async () => {
    const dave = await openPortal(service, { subject: 'dave', scope: { workspaceId: 'ws-a' } });
    expect((await dave.api('GET', '/keys')).status).toBe(200);
    expect((await service.api('DELETE', `/v1/portal/sessions/${dave.sessionId}`)).status).toBe(204);
    expect((await dave.api('GET', '/keys')).status).toBe(401);
    expect((await service.api('DELETE', `/v1/portal/sessions/${dave.sessionId}`)).status).toBe(404);

    const erin = await openPortal(service, { subject: 'erin', scope: { workspaceId: 'ws-a' } });
    const out = await erin.api('POST', '/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await erin.api('GET', '/session')).status).toBe(401);
  });

  it('the cookie is HttpOnly and SameSite=Strict, and the answer carries no code', async () => {
    const made = await service.api('POST', '/v1/portal/sessions', {
      subject: 'frank',
      scope: { workspaceId: 'ws-a' },
    });
    const res = await fetch(made.body.url, { redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(res.headers.get('location')).toBe('/portal');
  });

  it('refuses a session beyond its bounds and names each bad field', async () => {
    const res = await service.api('POST', '/v1/portal/sessions', {
      subject: '',
      scope: { workspaceId: 'ws-a' },
      permissions: ['api.key.sudo'],
      roles: ['nope'],
      types: ['canary'],
      expiresInSeconds: 86_400,
      returnUrl: 'javascript:alert(1)',
      branding: { productName: 'Acme', accentColor: 'red; background: url(x)', logoUrl: 'http://insecure' },
    });
    expect(res.status).toBe(400);
    const fields = [...new Set((res.body.error.details as { field: string }[]).map((d) => d.field))].sort();
    expect(fields).toEqual([
      'branding.accentColor',
      'branding.logoUrl',
      'expiresInSeconds',
      'permissions.0',
      'returnUrl',
      'subject',
      'types.0',
    ]);
    const role = await service.api('POST', '/v1/portal/sessions', {
      subject: 'x',
      scope: { workspaceId: 'ws-a' },
      roles: ['nope'],
    });
    expect(role.status).toBe(400);
    expect(role.body.error.details).toEqual([{ field: 'roles', message: 'role "nope" does not exist' }]);
  });
});

describe('the audit trail', () => {
  it('names the portal user as the actor of every change, with the session', async () => {
    const res = await service.api('GET', '/v1/audit?actor=portal:alice&limit=100');
    expect(res.status).toBe(200);
    const actions = res.body.items as { action: string; actor: string; context?: Record<string, string> }[];
    expect(actions.every((a) => a.actor === 'portal:alice')).toBe(true);
    expect(actions.map((a) => a.action).sort()).toEqual([
      'key.created',
      'key.created',
      'key.updated',
      'portal.session.entered',
    ]);
    expect(
      actions
        .filter((a) => a.action.startsWith('key.'))
        .every((a) => a.context?.portalSession === alice.sessionId),
    ).toBe(true);
    const events = await service.api('GET', '/v1/events?limit=100');
    const created = (events.body.items as { detailType: string; detail: { actor?: string } }[]).filter(
      (e) => e.detailType === 'API Key Created' && e.detail.actor === 'portal:alice',
    );
    expect(created).toHaveLength(2);
  });
});
