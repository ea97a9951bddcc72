import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyScope } from '../../functions/domain/keys/key.ts';
import {
  keyVisible,
  type PortalGrant,
  portalCreate,
  portalUpdateRefusals,
  scopeWithin,
} from '../../functions/domain/portal/portal-grant.ts';

const grant = (overrides: Partial<PortalGrant> = {}): PortalGrant => ({
  sessionId: 'ps_0000000000000000000000',
  subject: 'alice',
  scope: { workspaceId: 'ws-a' },
  permissions: ['api.key.view', 'api.key.create', 'api.key.update', 'api.key.delete'],
  roles: ['read'],
  types: ['personal', 'service'],
  personalKeys: 'own',
  ...overrides,
});

describe('scopeWithin', () => {
  const org = { organizationId: 'o', workspaceIds: ['a', 'b'] } as const;
  it.each<[string, KeyScope, boolean]>([
    ['its own workspace', { workspaceId: 'a' }, true],
    ['a workspace of the list', { workspaceId: 'b' }, true],
    ['another workspace', { workspaceId: 'c' }, false],
    ['the organization, within the list', { organizationId: 'o', workspaceIds: ['a'] }, true],
    ['the organization, the whole list', { organizationId: 'o', workspaceIds: ['b', 'a'] }, true],
    ['the organization, beyond the list', { organizationId: 'o', workspaceIds: ['a', 'c'] }, false],
    ['the organization, every workspace', { organizationId: 'o', workspaceIds: '*' }, false],
    ['another organization', { organizationId: 'p', workspaceIds: ['a'] }, false],
  ])('an organization session with a list: %s', (_what, key, inside) => {
    expect(scopeWithin(org, key)).toBe(inside);
  });

  it('a workspace session holds only keys of that workspace', () => {
    expect(scopeWithin({ workspaceId: 'a' }, { workspaceId: 'a' })).toBe(true);
    expect(scopeWithin({ workspaceId: 'a' }, { organizationId: 'o', workspaceIds: ['a'] })).toBe(false);
  });

  it('an organization session over every workspace holds every key of the organization, no workspace key', () => {
    const all = { organizationId: 'o', workspaceIds: '*' } as const;
    expect(scopeWithin(all, { organizationId: 'o', workspaceIds: '*' })).toBe(true);
    expect(scopeWithin(all, { organizationId: 'o', workspaceIds: ['z'] })).toBe(true);
    expect(scopeWithin(all, { workspaceId: 'z' })).toBe(false);
  });

  it('never lets a key reach a workspace the session lacks (property)', () => {
    const ws = fc.constantFrom('a', 'b', 'c', 'd');
    const list = fc.uniqueArray(ws, { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(list, list, (session, key) => {
        const inside = scopeWithin(
          { organizationId: 'o', workspaceIds: session },
          { organizationId: 'o', workspaceIds: key },
        );
        expect(inside).toBe(key.every((w) => session.includes(w)));
      }),
    );
  });
});

describe('keyVisible', () => {
  const key = (
    type: 'personal' | 'service' | 'canary',
    owner: string,
    scope: KeyScope = { workspaceId: 'ws-a' },
  ) => ({
    type,
    owner,
    scope,
  });
  it('shows service keys and the user own personal keys, never a canary', () => {
    expect(keyVisible(grant(), key('service', 'team'))).toBe(true);
    expect(keyVisible(grant(), key('personal', 'alice'))).toBe(true);
    expect(keyVisible(grant(), key('personal', 'bob'))).toBe(false);
    expect(keyVisible(grant({ personalKeys: 'all' }), key('personal', 'bob'))).toBe(true);
    expect(keyVisible(grant({ personalKeys: 'all' }), key('canary', 'alice'))).toBe(false);
    expect(keyVisible(grant(), key('service', 'team', { workspaceId: 'ws-b' }))).toBe(false);
  });
});

describe('portalCreate', () => {
  it('forces the scope and the owner, and fills the defaults', () => {
    const made = portalCreate(grant(), { name: 'x' });
    expect(made).toMatchObject({
      input: {
        name: 'x',
        type: 'service',
        scope: { workspaceId: 'ws-a' },
        owner: 'workspace:ws-a',
        roles: ['read'],
        permissions: [],
        environment: 'production',
        expiresAt: null,
      },
    });
    expect(portalCreate(grant({ types: ['personal'] }), {})).toMatchObject({
      input: { type: 'personal', owner: 'alice' },
    });
  });

  it('names every refusal', () => {
    const made = portalCreate(grant({ types: ['personal'], roles: ['read'] }), {
      type: 'service',
      roles: ['admin', 'write'],
      permissions: ['x:y'],
      scope: { workspaceId: 'ws-b' },
      owner: 'bob',
      plan: 'free',
      usageIdentifierKey: 'abc',
    });
    expect('refused' in made && made.refused.map((r) => r.field)).toEqual([
      'type',
      'scope',
      'roles',
      'permissions',
      'owner',
      'plan',
      'usageIdentifierKey',
    ]);
  });

  it('picks the first allowed role when read is not allowed', () => {
    expect(portalCreate(grant({ roles: ['billing', 'support'] }), {})).toMatchObject({
      input: { roles: ['billing'] },
    });
  });

  it('lets an organization session create a key for one of its workspaces', () => {
    const org = grant({ scope: { organizationId: 'o', workspaceIds: ['a', 'b'] } });
    expect(portalCreate(org, { scope: { workspaceId: 'b' } })).toMatchObject({
      input: { scope: { workspaceId: 'b' }, owner: 'workspace:b' },
    });
    expect(portalCreate(org, {})).toMatchObject({
      input: { scope: { organizationId: 'o', workspaceIds: ['a', 'b'] }, owner: 'organization:o' },
    });
  });
});

describe('portalUpdateRefusals', () => {
  it('keeps a change within the roles and refuses permissions and plans', () => {
    expect(portalUpdateRefusals(grant(), { name: 'ok' })).toEqual([]);
    expect(
      portalUpdateRefusals(grant(), { roles: ['write'], permissions: ['a:b'], plan: 'x' }).map(
        (r) => r.field,
      ),
    ).toEqual(['roles', 'permissions', 'plan']);
  });
});
