import { z } from 'zod';
import { valueBytes } from '#domain/keys/item-size.ts';
import { KEY_STATUSES, KEY_TYPES } from '#domain/keys/key.ts';
import { ENVIRONMENTS, KEY_ID_SHAPE } from '#domain/keys/secret.ts';
import { planName } from '#domain/plans/plans.ts';
import { isValidRange } from '#domain/verify/network.ts';

/**
 * Validation schemas for every management input. Every string and list has a limit; unknown
 * fields are refused. Types are derived from the schemas.
 */
/** Bidirectional controls (overrides, embeddings, isolates, marks) that can make a name read as another. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/**
 * Characters that show nothing, so `"a\u200bb"` reads as "ab" and two names can look identical:
 * Unicode's default-ignorables (zero-width space, joiners, word joiner, BOM, soft hyphen,
 * variation selectors, Hangul fillers, tags…), the other format characters, and the blank
 * Braille pattern.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\u2800]/u;
/** Control characters other than tab, line feed and carriage return. */
const hasControlButNewlines = (s: string) =>
  [...s].some((c) => /\p{Cc}/u.test(c) && c !== '\t' && c !== '\n' && c !== '\r');

/** Any text: bounded and well-formed (no unpaired surrogates, which no store or JSON reader keeps). */
export const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s.isWellFormed(), 'must not contain unpaired surrogates');
/** A name shown to operators: one line, no control or bidirectional control characters. */
export const label = (max: number) =>
  text(max)
    .min(1, 'must not be empty')
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters (including newlines)')
    .refine((s) => !BIDI_CONTROLS.test(s), 'must not contain bidirectional control characters')
    .refine(
      // Bidirectional controls are format characters too; they are named by the check above.
      (s) => BIDI_CONTROLS.test(s) || !INVISIBLE.test(s),
      'must not contain invisible characters (zero-width, joiners, fillers, variation selectors)',
    );
/** Free text: newlines and tabs allowed, other control characters not. */
export const prose = (max: number) =>
  text(max).refine((s) => !hasControlButNewlines(s), 'must not contain control characters');
export const identifier = (max: number) =>
  text(max)
    .min(1, 'must not be empty')
    .regex(/^[A-Za-z0-9][A-Za-z0-9._@:+\-/]*$/, 'may contain letters, digits and . _ @ : + - /');

export const LIMITS = {
  name: 128,
  description: 1024,
  metadataEntries: 20,
  metadataKey: 64,
  metadataValue: 512,
  /** Room for an IAM role-session ARN, the default owner in AWS. */
  owner: 512,
  roles: 20,
  permissions: 100,
  permission: 128,
  ipAllowlist: 50,
  workspaceIds: 100,
  pageSize: 100,
  /** Bytes a list or map field may take of the key's item (see item-size.ts: the whole item is checked too). */
  fieldBytes: 1500,
} as const;

/** A key's list or map field within its share of the key item (one read unit per check). */
const share = <T extends z.ZodType>(schema: T) =>
  schema.refine(
    (value) => valueBytes(value) <= LIMITS.fieldBytes,
    `must take at most ${LIMITS.fieldBytes} bytes of the key item (a check must stay one DynamoDB read)`,
  );

export const roleName = text(64)
  .min(1, 'must not be empty')
  .regex(/^[a-z0-9][a-z0-9_:-]*$/, 'must be lower-case letters, digits, _ : -');
export const permission = text(LIMITS.permission)
  .min(1, 'must not be empty')
  .regex(
    /^[A-Za-z0-9_.*-]+(:[A-Za-z0-9_.*-]+)*$/,
    'must look like "resource:action" (letters, digits, _ . - *)',
  );
const workspaceId = identifier(128);

export const uniqueList = <T extends z.ZodType<string>>(item: T, max: number) =>
  z
    .array(item)
    .max(max, `must have at most ${max} entries`)
    .refine((list) => new Set(list).size === list.length, 'must not repeat entries');

export const roles = uniqueList(roleName, LIMITS.roles);
export const permissions = uniqueList(permission, LIMITS.permissions);
export const ipAllowlist = uniqueList(
  text(64).refine(isValidRange, 'must be an IPv4 or IPv6 address or CIDR'),
  LIMITS.ipAllowlist,
);
/**
 * A small string map. A `__proto__` key would be dropped silently by the parser (it is no own
 * property of a parsed object), so it is refused by name before parsing.
 */
export const metadata = z.preprocess(
  (value, ctx) => {
    if (value && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
      ctx.addIssue({ code: 'custom', path: ['__proto__'], message: 'is not an allowed metadata key' });
    }
    return value;
  },
  z
    .record(label(LIMITS.metadataKey), prose(LIMITS.metadataValue))
    .refine(
      (m) => Object.keys(m).length <= LIMITS.metadataEntries,
      `must have at most ${LIMITS.metadataEntries} entries`,
    ),
);
export const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });
/**
 * An expiry: in the future by the clock at validation time, checked in the same pass as every
 * other field so one 400 names them all. (The key service checks again against its own clock.)
 */
const futureTime = isoTime.refine((v) => Date.parse(v) > Date.now(), 'must be in the future');

export const scope = z.union(
  [
    z.strictObject({ workspaceId }),
    z.strictObject({
      organizationId: identifier(128),
      workspaceIds: z.union([
        z.literal('*'),
        uniqueList(workspaceId, LIMITS.workspaceIds).min(1, 'must not be empty'),
      ]),
    }),
  ],
  { error: 'must be { "workspaceId" } or { "organizationId", "workspaceIds": [...] | "*" }' },
);

/** The scope of a key created without one. */
export const DEFAULT_WORKSPACE = 'default';

export const keyId = z.string().regex(KEY_ID_SHAPE, 'must be a key ID (key_…)');

export const createKeyBody = z
  .strictObject({
    name: label(LIMITS.name).optional(),
    description: prose(LIMITS.description).optional(),
    metadata: share(metadata).optional(),
    /** Defaults to the caller (the IAM ARN in AWS, `local-admin` locally). */
    owner: identifier(LIMITS.owner).optional(),
    type: z.enum(KEY_TYPES).default('service'),
    scope: share(scope).default({ workspaceId: DEFAULT_WORKSPACE }),
    roles: roles.default(['read']),
    permissions: share(permissions).default([]),
    environment: z.enum(ENVIRONMENTS).default('production'),
    rotationDays: z.number().int().min(1).max(3650).optional(),
    ipAllowlist: share(ipAllowlist).optional(),
    usageIdentifierKey: text(128).min(1).optional(),
    plan: planName.optional(),
    expiresAt: futureTime.nullable().default(null),
  })
  .meta({ id: 'CreateKeyRequest' });
export type CreateKeyInput = z.infer<typeof createKeyBody>;

export const updateKeyBody = z
  .strictObject({
    name: label(LIMITS.name).optional(),
    description: prose(LIMITS.description).nullable().optional(),
    metadata: share(metadata).nullable().optional(),
    roles: roles.optional(),
    permissions: share(permissions).optional(),
    expiresAt: futureTime.nullable().optional(),
    ipAllowlist: share(ipAllowlist).nullable().optional(),
    enabled: z.boolean().optional(),
    /** A configured plan, or null for none. */
    plan: planName.nullable().optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), 'must change at least one field')
  .meta({ id: 'UpdateKeyRequest', description: 'The fields to change; at least one.' });
export type UpdateKeyInput = z.infer<typeof updateKeyBody>;

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listKeysQuery = z.strictObject({
  search: text(128).min(1).optional(),
  owner: identifier(LIMITS.owner).optional(),
  role: roleName.optional(),
  status: z.enum(KEY_STATUSES).optional(),
  type: z.enum(KEY_TYPES).optional(),
  rotationDue: bool.optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSize).default(50),
  cursor: text(2048).min(1).optional(),
});
export type ListKeysInput = z.infer<typeof listKeysQuery>;

export const keyPath = z.strictObject({ keyId });

export const roleNamePath = z.strictObject({ name: roleName });
const roleFields = {
  description: prose(LIMITS.description).default(''),
  permissions: uniqueList(permission, LIMITS.permissions).min(1, 'must grant at least one permission'),
};
export const createRoleBody = z
  .strictObject({ name: roleName, ...roleFields })
  .meta({ id: 'CreateRoleRequest' });
export const putRoleBody = z.strictObject(roleFields).meta({ id: 'PutRoleRequest' });
export type RoleInput = z.infer<typeof putRoleBody>;

const usageDays = z.coerce.number().int().min(1).max(30).default(30);
export const usageQuery = z.strictObject({ days: usageDays });

/** GET /v1/usage: every key with traffic in the window, most active first. */
export const usageOverviewQuery = z.strictObject({
  days: usageDays,
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSize).default(50),
  cursor: text(2048).min(1).optional(),
  unusual: bool.optional(),
});

export const auditQuery = z.strictObject({
  keyId: keyId.optional(),
  actor: text(512).min(1).optional(),
  action: text(64).min(1).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSize).default(50),
  cursor: text(2048).min(1).optional(),
});

/** The body of a POST that takes no fields: none, or `{}`. */
export const emptyBody = z.strictObject({});

export const rotateBody = z
  .strictObject({
    gracePeriodSeconds: z
      .number()
      .int()
      .min(0)
      .max(604_800, 'must be at most 604800 (7 days)')
      .default(0)
      .meta({ description: 'How long the old key keeps working; 0 revokes it now.' }),
  })
  .meta({ id: 'RotateKeyRequest' });

export const sweepBody = z
  .strictObject({
    asOf: isoTime.optional().meta({ description: 'Sweep as of this time (a preview of a later day, say).' }),
    dryRun: z
      .boolean()
      .default(false)
      .meta({ description: 'Report what the sweep would do, and change nothing.' }),
  })
  .meta({ id: 'SweepRequest' });

export const eventsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSize).default(50),
  cursor: text(2048).min(1).optional(),
});

/** POST /v1/verify: a secret, and what the caller would check it against. */
export const verifyBody = z
  .strictObject({
    key: z
      .string()
      .min(1, 'must not be empty')
      .max(256, 'must be at most 256 characters')
      .meta({ description: 'The secret the caller presented.' }),
    permission: permission.optional().meta({ description: 'A permission the key must grant.' }),
    workspaceId: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .meta({ description: 'The workspace the request is for.' }),
    sourceIp: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: "The caller's address, for the IP allowlist." }),
  })
  .meta({ id: 'VerifyRequest' });
