import { describe, expect, it } from 'vitest';
import {
  checkPolicy,
  ownerLimitOf,
  parsePolicy,
  policyIssues,
  withinLifetime,
} from '#domain/compliance/policy.ts';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const DAY = 86_400_000;
const key = (overrides: Record<string, unknown> = {}) => ({
  type: 'service' as 'service' | 'personal',
  roles: ['read'],
  permissions: [] as string[],
  expiresAt: null as string | null,
  ...overrides,
});
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
const rules = (issues: { rule: string; field: string }[]) => issues.map((i) => `${i.rule}:${i.field}`);

describe('the compliance policy', () => {
  it('maxLifetimeDays: requires an expiry and bounds it, to the millisecond', () => {
    const policy = { maxLifetimeDays: 90 };
    expect(rules(policyIssues(policy, key(), NOW))).toEqual(['maxLifetimeDays:expiresAt']);
    expect(policyIssues(policy, key({ expiresAt: inDays(90) }), NOW)).toEqual([]);
    const late = policyIssues(
      policy,
      key({ expiresAt: new Date(NOW.getTime() + 90 * DAY + 1).toISOString() }),
      NOW,
    );
    expect(late).toEqual([
      {
        rule: 'maxLifetimeDays',
        field: 'expiresAt',
        message: 'must be at most 90 days from now (by 2026-08-30T00:00:00.000Z)',
      },
    ]);
  });

  it('requireExpiry: any expiry will do, none is refused; it adds nothing when maxLifetimeDays already said so', () => {
    expect(rules(policyIssues({ requireExpiry: true }, key(), NOW))).toEqual(['requireExpiry:expiresAt']);
    expect(policyIssues({ requireExpiry: true }, key({ expiresAt: inDays(3000) }), NOW)).toEqual([]);
    expect(rules(policyIssues({ requireExpiry: true, maxLifetimeDays: 30 }, key(), NOW))).toEqual([
      'maxLifetimeDays:expiresAt',
    ]);
  });

  it('personalKeysMayNotHold: barred roles by name, barred permissions by what grants them', () => {
    const policy = { personalKeysMayNotHold: ['admin', 'billing:refund'] };
    expect(rules(policyIssues(policy, key({ type: 'personal', roles: ['admin'] }), NOW))).toEqual([
      'personalKeysMayNotHold:roles',
    ]);
    // `billing:*` and `*` grant billing:refund; `*:read` (role read) does not.
    expect(
      rules(
        policyIssues(policy, key({ type: 'personal', roles: ['read'], permissions: ['billing:*'] }), NOW),
      ),
    ).toEqual(['personalKeysMayNotHold:permissions']);
    const viaWrite = policyIssues(
      { personalKeysMayNotHold: ['orders:write'] },
      key({ type: 'personal', roles: ['write'] }),
      NOW,
    );
    expect(viaWrite).toEqual([
      expect.objectContaining({
        field: 'roles',
        message: 'must not grant "orders:write" on a personal key ("*:write" of role "write")',
      }),
    ]);
    expect(
      policyIssues(policy, key({ type: 'personal', roles: ['read'], permissions: ['orders:read'] }), NOW),
    ).toEqual([]);
    // Service keys may hold anything.
    expect(policyIssues(policy, key({ roles: ['admin'], permissions: ['*'] }), NOW)).toEqual([]);
  });

  it('holds an update only to the rules of what it changes', () => {
    const policy = { maxLifetimeDays: 30, personalKeysMayNotHold: ['admin'] };
    const legacy = key({ type: 'personal', roles: ['admin'] });
    expect(policyIssues(policy, legacy, NOW, { expiry: false, grants: false })).toEqual([]);
    expect(rules(policyIssues(policy, legacy, NOW, { expiry: true, grants: false }))).toEqual([
      'maxLifetimeDays:expiresAt',
    ]);
    expect(rules(policyIssues(policy, legacy, NOW, { expiry: false, grants: true }))).toEqual([
      'personalKeysMayNotHold:roles',
    ]);
  });

  it('parses LATCHKEY_POLICY and names every bad field, or bad JSON', () => {
    expect(parsePolicy(undefined)).toEqual({});
    expect(
      parsePolicy('{"maxLifetimeDays":90,"requireExpiry":true,"personalKeysMayNotHold":["admin"]}'),
    ).toEqual({
      maxLifetimeDays: 90,
      requireExpiry: true,
      personalKeysMayNotHold: ['admin'],
    });
    expect(() => parsePolicy('{maxLifetimeDays: 90')).toThrow(
      'configuration: LATCHKEY_POLICY is not valid JSON',
    );
    const bad = () => parsePolicy('{"maxLifetimeDays":0,"requireExpiry":"yes","maxKeys":3}');
    expect(bad).toThrow(/LATCHKEY_POLICY\.maxLifetimeDays: /);
    expect(bad).toThrow(/LATCHKEY_POLICY\.requireExpiry: /);
    expect(bad).toThrow(/LATCHKEY_POLICY\.maxKeys: is not a policy field/);
    expect(() => checkPolicy({ personalKeysMayNotHold: 'admin' }, 'policy')).toThrow(
      /policy\.personalKeysMayNotHold/,
    );
  });

  it('maxKeysPerOwner is the owner limit; the older setting still works; the two may not disagree', () => {
    expect(ownerLimitOf({}, undefined, 'X')).toBe(100);
    expect(ownerLimitOf({}, 7, 'X')).toBe(7);
    expect(ownerLimitOf({ maxKeysPerOwner: 5 }, undefined, 'X')).toBe(5);
    expect(ownerLimitOf({ maxKeysPerOwner: 5 }, 5, 'X')).toBe(5);
    expect(() => ownerLimitOf({ maxKeysPerOwner: 5 }, 7, 'LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER')).toThrow(
      /policy\.maxKeysPerOwner \(5\) and LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER \(7\) disagree/,
    );
  });

  it('rotation: the successor keeps its expiry within maxLifetimeDays, and gets the longest allowed otherwise', () => {
    expect(withinLifetime(null, {}, NOW)).toBeNull();
    expect(withinLifetime(inDays(500), {}, NOW)).toBe(inDays(500));
    expect(withinLifetime(null, { maxLifetimeDays: 30 }, NOW)).toBe(inDays(30));
    expect(withinLifetime(inDays(31), { maxLifetimeDays: 30 }, NOW)).toBe(inDays(30));
    expect(withinLifetime(inDays(10), { maxLifetimeDays: 30 }, NOW)).toBe(inDays(10));
  });
});
