import { z } from 'zod';
import { DAY_MS, type KeyRecord, lastActivity } from '#domain/keys/key.ts';
import { BUILTIN_ROLES, grants } from '#domain/roles/permissions.ts';

/**
 * The compliance policy: what every key must satisfy on create, update and rotate. Set as JSON
 * in `LATCHKEY_POLICY` (locally and in each function's environment) and, in AWS, through the
 * construct's `policy` prop, which is validated with this same schema at synth.
 */
export const policySchema = z.strictObject({
  /** `expiresAt` is required and at most this many days ahead. */
  maxLifetimeDays: z.number().int().min(1).max(36_500).optional(),
  /** `expiresAt` is required (any future time). */
  requireExpiry: z.boolean().optional(),
  /** Roles and permission strings a `personal` key may not hold (a built-in role counts as its permissions). */
  personalKeysMayNotHold: z.array(z.string().min(1).max(200)).max(100).optional(),
  /** Keys an owner may hold at once (active or disabled): the owner limit. */
  maxKeysPerOwner: z.number().int().min(1).max(1_000_000).optional(),
  /**
   * The sweep disables an active key unused this many days (never used: since its creation), as
   * `policy`, with "API Key Disabled (Unused)"; canaries are exempt.
   */
  disableUnusedAfterDays: z.number().int().min(1).max(3650).optional(),
});
export type Policy = z.infer<typeof policySchema>;

/**
 * When `disableUnusedAfterDays` (`days`) disables a key for its present stretch of no use: its last
 * activity plus `days`. Undefined for a key the rule leaves alone: one not active, a canary, a
 * superseded key (its successor carries it on), or one the policy already disabled for this
 * stretch. The sweep disables by it, and the compliance report foretells with it.
 */
export function disablesUnusedAt(
  key: Pick<KeyRecord, 'status' | 'type' | 'rotatedTo' | 'lastUsedAt' | 'createdAt' | 'unusedDisabledFor'>,
  days: number,
): number | undefined {
  if (key.status !== 'active' || key.type === 'canary' || key.rotatedTo) return undefined;
  const lastActive = lastActivity(key);
  if (key.unusedDisabledFor === lastActive) return undefined;
  return Date.parse(lastActive) + days * DAY_MS;
}

export type PolicyRule = 'maxLifetimeDays' | 'requireExpiry' | 'personalKeysMayNotHold';

/** One broken rule: the rule, the field that breaks it, and what to change. */
export interface PolicyIssue {
  readonly rule: PolicyRule;
  readonly field: 'expiresAt' | 'roles' | 'permissions';
  readonly message: string;
}

/** Parses a policy from JSON text; an error names the setting and every bad field. */
export function parsePolicy(raw: string | undefined, name = 'LATCHKEY_POLICY'): Policy {
  if (raw === undefined || raw.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`configuration: ${name} is not valid JSON`);
  }
  return checkPolicy(value, name);
}

/** Validates a policy object; the error lists every bad field as `<name>.<field>: <problem>`. */
export function checkPolicy(value: unknown, name = 'policy'): Policy {
  const result = policySchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => {
    const at = [name, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => `${at}.${key}: is not a policy field`);
    return [`${at}: ${issue.message}`];
  });
  throw new Error(`configuration: ${problems.join('; ')}`);
}

/**
 * The owner limit: the policy's `maxKeysPerOwner`, else the older setting, else 100. Both set
 * to different values is a configuration error (which one was meant cannot be guessed).
 */
export function ownerLimitOf(policy: Policy, legacy: number | undefined, legacyName: string): number {
  if (policy.maxKeysPerOwner !== undefined && legacy !== undefined && legacy !== policy.maxKeysPerOwner) {
    throw new Error(
      `configuration: policy.maxKeysPerOwner (${policy.maxKeysPerOwner}) and ${legacyName} (${legacy}) disagree; set one`,
    );
  }
  return policy.maxKeysPerOwner ?? legacy ?? 100;
}

type Checked = Pick<KeyRecord, 'type' | 'roles' | 'permissions' | 'expiresAt'>;

/** Which parts of a key a request sets; PATCH is held only to the rules of what it changes. */
export interface Touched {
  readonly expiry: boolean;
  readonly grants: boolean;
}
const ALL: Touched = { expiry: true, grants: true };

/** Every rule `key` breaks at `now`, in the order of the rules. */
export function policyIssues(policy: Policy, key: Checked, now: Date, touched: Touched = ALL): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  if (touched.expiry) {
    const max = policy.maxLifetimeDays;
    if (max !== undefined) {
      const limit = new Date(now.getTime() + max * DAY_MS);
      if (key.expiresAt === null) {
        issues.push({
          rule: 'maxLifetimeDays',
          field: 'expiresAt',
          message: `is required: keys may live at most ${max} days (by ${limit.toISOString()})`,
        });
      } else if (Date.parse(key.expiresAt) > limit.getTime()) {
        issues.push({
          rule: 'maxLifetimeDays',
          field: 'expiresAt',
          message: `must be at most ${max} days from now (by ${limit.toISOString()})`,
        });
      }
    }
    if (policy.requireExpiry && key.expiresAt === null && max === undefined) {
      issues.push({
        rule: 'requireExpiry',
        field: 'expiresAt',
        message: 'is required: every key must expire',
      });
    }
  }
  const barred = policy.personalKeysMayNotHold ?? [];
  if (touched.grants && key.type === 'personal' && barred.length) {
    // Entries with a colon (or `*`) are permission strings; the others name roles.
    const barredRoles = barred.filter((entry) => !isPermission(entry));
    const barredPermissions = barred.filter(isPermission);
    const roles = key.roles.filter((role) => barredRoles.includes(role));
    if (roles.length) {
      issues.push({
        rule: 'personalKeysMayNotHold',
        field: 'roles',
        message: `must not include ${roles.map((r) => `"${r}"`).join(', ')} on a personal key`,
      });
    }
    // A held permission is barred when it grants a barred one (`*` grants `orders:delete`); a
    // built-in role holds its permissions. Custom roles are matched by name only.
    const held = [
      ...key.permissions.map((permission) => ({ permission, role: undefined as string | undefined })),
      ...key.roles.flatMap((role) =>
        (BUILTIN_ROLES[role]?.permissions ?? []).map((permission) => ({ permission, role })),
      ),
    ]
      // A role already barred by name is reported once, above.
      .filter(({ role }) => role === undefined || !roles.includes(role))
      .filter(({ permission }) => barredPermissions.some((b) => grants(permission, b)));
    for (const field of ['permissions', 'roles'] as const) {
      const hits = held.filter(({ role }) => (field === 'roles' ? role !== undefined : role === undefined));
      if (!hits.length) continue;
      const what = [
        ...new Set(
          hits.map(({ permission, role }) =>
            role ? `"${permission}" of role "${role}"` : `"${permission}"`,
          ),
        ),
      ];
      const covered = barredPermissions.filter((b) => hits.some(({ permission }) => grants(permission, b)));
      issues.push({
        rule: 'personalKeysMayNotHold',
        field,
        message: `must not grant ${covered.map((b) => `"${b}"`).join(', ')} on a personal key (${what.join(', ')})`,
      });
    }
  }
  return issues;
}

/** `expiresAt`, or the latest the policy's `maxLifetimeDays` allows from `now` if it is later (or never). */
export function withinLifetime(expiresAt: string | null, policy: Policy, now: Date): string | null {
  if (policy.maxLifetimeDays === undefined) return expiresAt;
  const latest = new Date(now.getTime() + policy.maxLifetimeDays * DAY_MS).toISOString();
  return expiresAt === null || Date.parse(expiresAt) > Date.parse(latest) ? latest : expiresAt;
}

const isPermission = (entry: string) => entry === '*' || entry.includes(':');
