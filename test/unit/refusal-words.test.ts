import { describe, expect, it } from 'vitest';
import { type Policy, policyIssues } from '../../functions/domain/compliance/policy.ts';
import {
  type PortalGrant,
  portalCreate,
  portalUpdateRefusals,
  type Refusal,
} from '../../functions/domain/portal/portal-grant.ts';
import { type PortalKeyDeps, PortalKeyService } from '../../functions/domain/portal/portal-keys.ts';
import { createPortalSessionBody } from '../../functions/domain/portal/portal-schemas.ts';
import { ApiError } from '../../functions/domain/shared/errors.ts';
import type { RequestContext } from '../../functions/domain/shared/request-context.ts';
import { createKeyBody, LIMITS } from '../../functions/domain/shared/schemas.ts';
import { inWords } from '../../web/src/components/refusal-words.ts';

/*
 * The forms reword the API's refusals by matching the domain's English. Each message here is built
 * by the domain code that sends it, so a changed message fails this test instead of reaching a
 * form unreworded.
 */

/** A session of alice's over workspace ws-a that may give read or write, the rest as the API defaults it. */
const session = createPortalSessionBody.parse({
  subject: 'alice',
  scope: { workspaceId: 'ws-a' },
  roles: ['read', 'write'],
});
const grant = (overrides: Partial<PortalGrant> = {}): PortalGrant => ({
  sessionId: 'ps_0000000000000000000000',
  ...session,
  ...overrides,
});

const refusals = (made: ReturnType<typeof portalCreate>): readonly Refusal[] =>
  'refused' in made ? made.refused : [];

/** The one message the domain gives `field`. */
function messageOf(issues: readonly { field: string; message: string }[], field: string): string {
  const messages = issues.filter((issue) => issue.field === field).map((issue) => issue.message);
  expect(messages).toHaveLength(1);
  return messages[0] as string;
}

describe('the words a form gives a refusal the API builds', () => {
  it('rewords what the schemas refuse', () => {
    const parsed = createKeyBody.safeParse({
      name: '',
      description: 'x'.repeat(LIMITS.description + 1),
      owner: 'bad owner!',
      roles: ['Admin'],
      permissions: ['orders read'],
      ipAllowlist: ['nope'],
      expiresAt: '2000-01-01T00:00:00.000Z',
    });
    const issues = parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({ field: String(issue.path[0]), message: issue.message }));
    expect(
      Object.fromEntries(
        ['name', 'description', 'owner', 'roles', 'permissions', 'ipAllowlist', 'expiresAt'].map((field) => [
          field,
          inWords(messageOf(issues, field)),
        ]),
      ),
    ).toEqual({
      name: 'Cannot be empty',
      description: `Too long: at most ${LIMITS.description} characters`,
      owner: 'Use only letters, digits and . _ @ : + - /',
      roles: 'Use only lower-case letters, digits and _ : -',
      permissions: 'Not a permission (write it as resource:action, e.g. orders:read)',
      ipAllowlist: 'Not an IP address or CIDR range',
      expiresAt: 'Choose a time in the future',
    });
  });

  it("rewords a portal session's limits on a create", () => {
    const refused = refusals(
      portalCreate(grant({ types: ['personal'] }), {
        type: 'service',
        scope: { workspaceId: 'ws-b' },
        roles: ['admin'],
        permissions: ['orders:read'],
        owner: 'bob',
        plan: 'gold',
      }),
    );
    expect(
      Object.fromEntries(
        ['type', 'scope', 'roles', 'permissions', 'owner', 'plan'].map((field) => [
          field,
          inWords(messageOf(refused, field)),
        ]),
      ),
    ).toEqual({
      type: 'You can create personal keys only',
      scope: 'Outside the workspaces you manage',
      roles: 'You cannot give the role admin: choose read or write',
      permissions: 'Choose a role instead',
      owner: 'You cannot set this here',
      plan: 'You cannot set this here',
    });
  });

  it("rewords a portal session's limits on a change, more than one role among them", () => {
    const refused = portalUpdateRefusals(grant(), { roles: ['admin', 'owner'], plan: 'gold' });
    expect(inWords(messageOf(refused, 'roles'))).toBe(
      'You cannot give the roles admin, owner: choose read or write',
    );
    expect(inWords(messageOf(refused, 'plan'))).toBe('You cannot set this here');
  });

  it('rewords each permission a portal session lacks', async () => {
    const service = new PortalKeyService({} as PortalKeyDeps);
    const ctx = {} as RequestContext;
    const lacking = async (
      permission: PortalGrant['permissions'][number],
      call: (g: PortalGrant) => Promise<unknown>,
    ) => {
      const error = await call(grant({ permissions: [] })).catch((cause: unknown) => cause);
      expect(error).toBeInstanceOf(ApiError);
      const details = (error as ApiError).details ?? [];
      expect(details.map((d) => d.message)).toEqual([`${permission} is not granted to this session`]);
      return inWords(messageOf(details, 'permissions'));
    };
    expect(await lacking('api.key.view', (g) => service.get(g, 'key_x'))).toBe(
      'You are not allowed to see keys here',
    );
    expect(await lacking('api.key.create', (g) => service.create(g, {}, ctx))).toBe(
      'You are not allowed to create keys here',
    );
    expect(await lacking('api.key.update', (g) => service.update(g, 'key_x', {}, undefined, ctx))).toBe(
      'You are not allowed to change keys here',
    );
    expect(await lacking('api.key.delete', (g) => service.revoke(g, 'key_x', ctx))).toBe(
      'You are not allowed to revoke or delete keys here',
    );
  });

  describe('the compliance policy', () => {
    const now = new Date('2026-01-01T00:00:00.000Z');
    const key = { type: 'service' as const, roles: [], permissions: [], expiresAt: null };
    const words = (policy: Policy, changes: Partial<Parameters<typeof policyIssues>[1]>) =>
      policyIssues(policy, { ...key, ...changes }, now).map((issue) => [issue.field, inWords(issue.message)]);

    it('rewords a missing or too distant expiry', () => {
      expect(words({ maxLifetimeDays: 90 }, {})).toEqual([
        ['expiresAt', 'Choose an expiry: keys may live at most 90 days'],
      ]);
      expect(words({ maxLifetimeDays: 90 }, { expiresAt: '2027-01-01T00:00:00.000Z' })).toEqual([
        ['expiresAt', 'Too far ahead: keys may live at most 90 days'],
      ]);
      expect(words({ requireExpiry: true }, {})).toEqual([
        ['expiresAt', 'Choose an expiry: every key must expire'],
      ]);
    });

    it('rewords what a personal key may not hold: a role by name, or a permission held directly or through a role', () => {
      expect(words({ personalKeysMayNotHold: ['admin'] }, { type: 'personal', roles: ['admin'] })).toEqual([
        ['roles', 'A personal key may not have admin'],
      ]);
      expect(
        words(
          { personalKeysMayNotHold: ['orders:delete'] },
          { type: 'personal', roles: ['admin'], permissions: ['orders:*'] },
        ),
      ).toEqual([
        ['permissions', 'A personal key may not grant orders:delete (granted by orders:*)'],
        ['roles', 'A personal key may not grant orders:delete (granted by * of role admin)'],
      ]);
    });
  });
});
