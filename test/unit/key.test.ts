import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  effectiveStatus,
  holdsSlot,
  type KeyRecord,
  rotationDueAt,
  scopeAllowsWorkspace,
  toApiKey,
} from '#domain/keys/key.ts';
import { effectivePermissions, grants, hasPermission } from '#domain/roles/permissions.ts';
import { ipAllowed, isValidRange } from '#domain/verify/network.ts';

const now = new Date('2026-06-01T00:00:00.000Z');

describe('key status', () => {
  it('derives expired from expiresAt, with expiresAt == now counting as expired', () => {
    expect(effectiveStatus({ status: 'active', expiresAt: null }, now)).toBe('active');
    expect(effectiveStatus({ status: 'active', expiresAt: '2026-06-01T00:00:00.001Z' }, now)).toBe('active');
    expect(effectiveStatus({ status: 'active', expiresAt: now.toISOString() }, now)).toBe('expired');
    expect(effectiveStatus({ status: 'inactive', expiresAt: '2020-01-01T00:00:00Z' }, now)).toBe('expired');
    expect(effectiveStatus({ status: 'revoked', expiresAt: '2020-01-01T00:00:00Z' }, now)).toBe('revoked');
  });

  it('counts active and disabled keys against the owner limit, not revoked or expired ones', () => {
    expect(holdsSlot({ status: 'active', expiresAt: null }, now)).toBe(true);
    expect(holdsSlot({ status: 'inactive', expiresAt: null }, now)).toBe(true);
    expect(holdsSlot({ status: 'revoked', expiresAt: null }, now)).toBe(false);
    expect(holdsSlot({ status: 'active', expiresAt: now.toISOString() }, now)).toBe(false);
  });

  it('is due for rotation after 90 days in production, 180 in development, or rotationDays', () => {
    const createdAt = now.toISOString();
    expect(rotationDueAt({ createdAt, environment: 'production' })).toBe(
      new Date(now.getTime() + 90 * DAY_MS).toISOString(),
    );
    expect(rotationDueAt({ createdAt, environment: 'development' })).toBe(
      new Date(now.getTime() + 180 * DAY_MS).toISOString(),
    );
    expect(rotationDueAt({ createdAt, environment: 'production', rotationDays: 7 })).toBe(
      new Date(now.getTime() + 7 * DAY_MS).toISOString(),
    );
  });

  it('never shows the hash or internal bookkeeping', () => {
    const record = {
      keyId: 'key_x',
      status: 'active',
      expiresAt: null,
      secretHash: 'h',
      pepperVersion: '1',
      slotHeld: true,
      rotationReminderAt: 'x',
      expiryNoticeSent: true,
    } as unknown as KeyRecord;
    const shown = toApiKey(record, now) as unknown as Record<string, unknown>;
    for (const hidden of [
      'secretHash',
      'pepperVersion',
      'slotHeld',
      'rotationReminderAt',
      'expiryNoticeSent',
    ]) {
      expect(shown).not.toHaveProperty(hidden);
    }
    expect(shown.status).toBe('active');
  });

  it('shows keyId first and every field in one order, however the record was read', () => {
    const fields: [string, unknown][] = [
      ['keyId', 'key_x'],
      ['name', 'n'],
      ['description', 'd'],
      ['metadata', { a: 'b' }],
      ['owner', 'o'],
      ['type', 'service'],
      ['scope', { workspaceId: 'w' }],
      ['roles', []],
      ['permissions', []],
      ['environment', 'production'],
      ['ipAllowlist', ['10.0.0.0/8']],
      ['expiresAt', null],
      ['status', 'active'],
      ['createdAt', now.toISOString()],
      ['updatedAt', now.toISOString()],
      ['lastUsedAt', null],
      ['rotationDueAt', now.toISOString()],
      ['rotationDue', false],
      ['version', 1],
      ['secretHash', 'h'],
      ['futureField', 1],
    ];
    // DynamoDB returns a map's attributes in no particular order: two reads may differ.
    const shuffled = [...fields].reverse();
    shuffled.push(...shuffled.splice(0, 7));
    const a = toApiKey(Object.fromEntries(fields) as unknown as KeyRecord, now);
    const b = toApiKey(Object.fromEntries(shuffled) as unknown as KeyRecord, now);
    expect(Object.keys(a)[0]).toBe('keyId');
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(Object.keys(a).slice(0, 3)).toEqual(['keyId', 'name', 'description']);
    expect(Object.keys(a).at(-1)).toBe('futureField');
    expect(a).toEqual(b);
  });
});

describe('scope', () => {
  it('matches a workspace key to its own workspace only', () => {
    expect(scopeAllowsWorkspace({ workspaceId: 'a' }, 'a')).toBe(true);
    expect(scopeAllowsWorkspace({ workspaceId: 'a' }, 'b')).toBe(false);
  });
  it('matches organization keys to "*" or their list', () => {
    expect(scopeAllowsWorkspace({ organizationId: 'o', workspaceIds: '*' }, 'z')).toBe(true);
    expect(scopeAllowsWorkspace({ organizationId: 'o', workspaceIds: ['a', 'b'] }, 'b')).toBe(true);
    expect(scopeAllowsWorkspace({ organizationId: 'o', workspaceIds: ['a', 'b'] }, 'c')).toBe(false);
  });
});

describe('IP allowlist', () => {
  it('validates IPv4 and IPv6 addresses and CIDRs', () => {
    for (const ok of ['10.0.0.0/8', '203.0.113.7', '2001:db8::/32', '::1', '::ffff:10.0.0.0/104']) {
      expect(isValidRange(ok), ok).toBe(true);
    }
    for (const bad of ['10.0.0.0/33', '300.1.1.1', 'not-an-ip', '2001:db8::/129', '']) {
      expect(isValidRange(bad), bad).toBe(false);
    }
  });
  it('matches IPv4, IPv6 and IPv4-mapped IPv6 addresses', () => {
    const list = ['10.0.0.0/8', '2001:db8::/32'];
    expect(ipAllowed('10.1.2.3', list)).toBe(true);
    expect(ipAllowed('11.1.2.3', list)).toBe(false);
    expect(ipAllowed('2001:db8::1', list)).toBe(true);
    expect(ipAllowed('2001:db9::1', list)).toBe(false);
    expect(ipAllowed('::ffff:10.9.9.9', list)).toBe(true);
    expect(ipAllowed(undefined, list)).toBe(false);
    expect(ipAllowed('garbage', list)).toBe(false);
  });
});

describe('permissions', () => {
  it('matches segment wildcards', () => {
    expect(grants('*', 'orders:read')).toBe(true);
    expect(grants('*:read', 'orders:read')).toBe(true);
    expect(grants('*:read', 'orders:write')).toBe(false);
    expect(grants('orders:*', 'orders:items:read')).toBe(true);
    expect(grants('orders:read', 'orders:read')).toBe(true);
    expect(grants('orders:read', 'orders')).toBe(false);
    expect(grants('orders', 'orders:read')).toBe(false);
  });
  it('unions role permissions with the key own ones', () => {
    const custom = new Map([
      ['support', { name: 'support', description: '', permissions: ['tickets:write'] }],
    ]);
    const all = effectivePermissions(['read', 'support', 'gone'], ['orders:refund'], custom);
    expect(all.sort()).toEqual(['*:read', 'orders:refund', 'tickets:write']);
    expect(hasPermission(all, 'tickets:write')).toBe(true);
    expect(hasPermission(all, 'orders:write')).toBe(false);
  });
});
