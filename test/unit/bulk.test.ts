import { describe, expect, it } from 'vitest';
import { matchesBulk } from '#domain/bulk/bulk-service.ts';
import { filterDigest, issueConfirm, readConfirm, runIdOf } from '#domain/bulk/confirm-token.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { MAX_TRACKED, PublicRouteLimiter } from '../../local/public-limiter.ts';
import { storedKey } from '../support/fixtures.ts';

/** The kill switch's rules that need no database: the filter's one form, the token, the match. */
const peppers = parsePepperSet(
  JSON.stringify({ version: '2', pepper: 'p'.repeat(40), previous: { 1: 'o'.repeat(40) } }),
);
const now = new Date('2026-06-01T00:00:00Z');
const query = (filter: Record<string, unknown>, action: 'revoke' | 'disable' = 'revoke') => ({
  filter,
  action,
  createdUpTo: now.toISOString(),
});

describe('the confirm token', () => {
  const claims = {
    action: 'revoke' as const,
    filter: filterDigest({ owner: 'a' }),
    matched: 5,
    issuedAt: now.toISOString(),
  };

  it('binds one canonical filter: the same fields in another order or time zone are the same filter', () => {
    expect(filterDigest({ owner: 'a', createdBefore: '2026-01-01T01:00:00+01:00' })).toBe(
      filterDigest({ createdBefore: '2026-01-01T00:00:00Z', owner: 'a' }),
    );
    expect(filterDigest({ owner: 'a' })).not.toBe(filterDigest({ owner: 'b' }));
  });

  it('reads back what it was issued with, under a previous pepper version too; refuses any change', () => {
    const token = issueConfirm(claims, peppers);
    expect(readConfirm(token, peppers)).toEqual(claims);
    const rotated = parsePepperSet(
      JSON.stringify({ version: '3', pepper: 'q'.repeat(40), previous: { 2: 'p'.repeat(40) } }),
    );
    expect(readConfirm(token, rotated)).toEqual(claims);
    const [body, signature] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), matched: 5000 }),
    ).toString('base64url');
    expect(readConfirm(`${forged}.${signature}`, peppers)).toBeUndefined();
    expect(readConfirm(`${body}.${signature}x`, peppers)).toBeUndefined();
    expect(readConfirm('nonsense', peppers)).toBeUndefined();
    expect(issueConfirm(claims, peppers)).not.toBe(token);
    expect(runIdOf(token)).toMatch(/^bulk_[\w-]{22}$/);
  });
});

describe('matchesBulk', () => {
  const key = (overrides: Parameters<typeof storedKey>[1]) => storedKey(peppers, overrides).record;

  it('leaves revoked keys, disabled ones for disable, canaries unless asked for, and keys made after the run began', () => {
    expect(matchesBulk(key({ status: 'revoked' }), query({ owner: 'team-orders' }), now)).toBe(false);
    expect(matchesBulk(key({ status: 'inactive' }), query({ owner: 'team-orders' }), now)).toBe(true);
    expect(matchesBulk(key({ status: 'inactive' }), query({ owner: 'team-orders' }, 'disable'), now)).toBe(
      false,
    );
    expect(matchesBulk(key({ type: 'canary' }), query({ owner: 'team-orders' }), now)).toBe(false);
    expect(matchesBulk(key({ type: 'canary' }), query({ type: 'canary' }), now)).toBe(true);
    expect(
      matchesBulk(key({ createdAt: '2026-07-01T00:00:00.000Z' }), query({ owner: 'team-orders' }), now),
    ).toBe(false);
  });

  it('matches the owner exactly, dates as exclusive bounds, and a never-used key by its creation', () => {
    expect(matchesBulk(key({ owner: 'team-orders-2' }), query({ owner: 'team-orders' }), now)).toBe(false);
    const made = key({ createdAt: '2026-01-01T00:00:00.000Z', lastUsedAt: null });
    expect(matchesBulk(made, query({ createdBefore: '2026-01-01T00:00:00Z' }), now)).toBe(false);
    expect(matchesBulk(made, query({ createdBefore: '2026-01-01T00:00:01Z' }), now)).toBe(true);
    expect(matchesBulk(made, query({ lastUsedBefore: '2026-01-02T00:00:00Z' }), now)).toBe(true);
    const used = key({ createdAt: '2026-01-01T00:00:00.000Z', lastUsedAt: '2026-03-01T00:00:00.000Z' });
    expect(matchesBulk(used, query({ lastUsedBefore: '2026-02-01T00:00:00Z' }), now)).toBe(false);
    expect(
      matchesBulk(
        key({ scope: { organizationId: 'acme', workspaceIds: '*' } }),
        query({ organizationId: 'acme' }),
        now,
      ),
    ).toBe(true);
    expect(matchesBulk(key({}), query({ workspaceId: 'ws-2' }), now)).toBe(false);
    expect(
      matchesBulk(key({ expiresAt: '2026-05-01T00:00:00.000Z' }), query({ status: 'expired' }), now),
    ).toBe(true);
    expect(matchesBulk(key({ name: 'Billing Sync' }), query({ search: 'billing' }), now)).toBe(true);
  });
});

describe('the local per-address limit on public routes', () => {
  it('lets an address send its number a minute per route, then says how long to wait', () => {
    const limiter = new PublicRouteLimiter(2);
    const t = 1_000_000;
    expect(limiter.check('203.0.113.1', 'POST /a', t)).toBeUndefined();
    expect(limiter.check('203.0.113.1', 'POST /a', t + 1)).toBeUndefined();
    expect(limiter.check('203.0.113.1', 'POST /a', t + 20_000)).toBe(40);
    expect(limiter.check('203.0.113.2', 'POST /a', t + 20_000)).toBeUndefined();
    expect(limiter.check('203.0.113.1', 'POST /b', t + 20_000)).toBeUndefined();
    expect(limiter.check('203.0.113.1', 'POST /a', t + 60_000)).toBeUndefined();
  });

  it('keeps at most MAX_TRACKED windows, forgetting the oldest first', () => {
    const limiter = new PublicRouteLimiter(1);
    const t = 1_000_000;
    expect(limiter.check('198.51.100.1', 'POST /a', t)).toBeUndefined();
    expect(limiter.check('198.51.100.2', 'POST /a', t)).toBeUndefined();
    // As many other addresses as the bound, within the same minute: the first window goes.
    for (let i = 0; i < MAX_TRACKED - 1; i++) limiter.check(`10.0.${i >> 8}.${i & 255}`, 'POST /a', t + 1);
    expect(limiter.check('198.51.100.2', 'POST /a', t + 2)).toBe(60);
    expect(limiter.check('198.51.100.1', 'POST /a', t + 2)).toBeUndefined();
  });
});
