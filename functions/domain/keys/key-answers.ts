import { z } from 'zod';
import { pageOf, type Same, timestamp } from '#domain/shared/answers.ts';
import { type ApiKey, KEY_STATUSES, KEY_TYPES, type KeyScope } from './key.ts';
import type { KeyService } from './key-service.ts';
import { ENVIRONMENTS } from './secret.ts';

/**
 * The key as answers show it. Kept apart from key.ts, which the authorizer bundles: the
 * authorizer needs the type, never the schema.
 */
export const keyTypeSchema = z
  .enum(KEY_TYPES)
  .meta({ id: 'KeyType', description: '`canary`: a honeytoken, never valid; any use of it is an alarm.' });
export const keyStatusSchema = z
  .enum(KEY_STATUSES)
  .meta({ id: 'KeyStatus', description: '`expired` is derived from `expiresAt`.' });
export const environmentSchema = z.enum(ENVIRONMENTS).meta({
  id: 'Environment',
  description: 'Secrets start `lk_live_` (production) or `lk_test_` (development).',
});

export const keyScopeSchema = z
  .union([
    z.object({ workspaceId: z.string() }),
    z.object({ organizationId: z.string(), workspaceIds: z.union([z.array(z.string()), z.literal('*')]) }),
  ])
  .meta({
    id: 'KeyScope',
    description: 'One workspace, or an organization: some of its workspaces or all (`*`).',
  });

const KEY_EXAMPLE = {
  keyId: 'key_4fQ2bX9kLmN3pR7sT1vW8y',
  name: 'billing-service',
  owner: 'alice',
  type: 'service',
  scope: { workspaceId: 'ws-1' },
  roles: ['read'],
  permissions: [],
  environment: 'production',
  expiresAt: null,
  status: 'active',
  createdAt: '2025-01-15T09:30:00.000Z',
  createdBy: 'local-admin',
  updatedAt: '2025-01-15T09:30:00.000Z',
  lastUsedAt: null,
  rotationDueAt: '2025-04-15T09:30:00.000Z',
  rotationDue: false,
  version: 1,
} as const;

/** The old key's requests since a rotation, while its grace runs: on both keys of the rotation. */
export const graceUsageSchema = z
  .object({
    since: timestamp.meta({ description: 'The rotation: requests are counted from here.' }),
    requests: z.number().int().min(0).meta({
      description: 'Requests the old key made since (allowed and refused, once its secret was proven).',
    }),
    lastUsedAt: timestamp
      .nullable()
      .meta({ description: "The old key's last use since the rotation, or null." }),
  })
  .meta({ id: 'GraceUsage' });
export type GraceUsage = z.output<typeof graceUsageSchema>;

/** What every answer shows of a key. Never the secret, never its hash. */
export const apiKeySchema = z
  .object({
    keyId: z.string().meta({ example: KEY_EXAMPLE.keyId }),
    name: z.string(),
    description: z.string().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    owner: z.string(),
    type: keyTypeSchema,
    scope: keyScopeSchema,
    roles: z.array(z.string()),
    permissions: z.array(z.string()),
    environment: environmentSchema,
    rotationDays: z.number().int().optional(),
    ipAllowlist: z.array(z.string()).optional(),
    usageIdentifierKey: z.string().optional(),
    plan: z.string().optional().meta({ description: 'The usage plan (rate limit, burst, quota).' }),
    expiresAt: timestamp.nullable(),
    status: keyStatusSchema,
    createdAt: timestamp,
    createdBy: z.string(),
    updatedAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    lastUsedIp: z.string().optional().meta({ description: "The last allowed request's source address." }),
    lastUsedAgent: z
      .string()
      .optional()
      .meta({ description: "The last allowed request's User-Agent, cut to 128 UTF-8 bytes." }),
    lastUsedRoute: z.string().optional().meta({ description: "The last allowed request's `METHOD /route`." }),
    revokedAt: timestamp.optional(),
    rotationDueAt: timestamp,
    rotationDue: z.boolean(),
    rotatedFrom: z.string().optional().meta({ description: 'The key this one replaced.' }),
    rotatedTo: z.string().optional().meta({ description: 'The key that replaced this one.' }),
    imported: z
      .boolean()
      .optional()
      .meta({ description: 'Stored from a secret another system issued (POST /v1/keys/import).' }),
    tripCount: z.number().int().optional().meta({ description: "A canary's trips so far." }),
    firstTrippedAt: timestamp.optional(),
    lastTrippedAt: timestamp.optional(),
    lastTripSourceIp: z.string().optional(),
    lastTripRoute: z.string().optional(),
    version: z
      .number()
      .int()
      .meta({ description: 'Sent back as `ETag`; give it in `If-Match` to update safely.' }),
  })
  .meta({ id: 'ApiKey', example: KEY_EXAMPLE });

/** GET /v1/keys/{keyId}: the key, and during a rotation's grace how much the old key is still used. */
export const keyDetailSchema = apiKeySchema
  .extend({
    graceUsage: graceUsageSchema.optional().meta({
      description:
        "While either key of a rotation is in its grace: the old key's requests since the rotation.",
    }),
  })
  .meta({ id: 'KeyDetail' });

export const keyPageSchema = pageOf(apiKeySchema, 'KeyPage', 'keys');

const SECRET_EXAMPLE = 'lk_live_4fQ2bX9kLmN3pR7sT1vW8y_Jd8sK2mQ9xV4bN7cR1tY6uP3wZ5aE0fG2hL8jK4nM1qS7a9Bc';

/** POST /v1/keys: the one answer, with rotate, that carries a secret. */
export const createdKeySchema = z
  .object({
    key: apiKeySchema,
    secret: z.string().meta({ description: 'Shown this once; only its hash is kept.' }),
  })
  .meta({ id: 'CreatedKey', example: { key: KEY_EXAMPLE, secret: SECRET_EXAMPLE } });

/** POST /v1/keys/{keyId}/rotate: the successor with its secret, and the key it replaces. */
export const rotatedKeySchema = z
  .object({
    key: apiKeySchema,
    secret: z
      .string()
      .nullable()
      .meta({ description: 'The new secret; null when an Idempotency-Key replays an earlier rotation.' }),
    previous: apiKeySchema,
    replayed: z.literal(true).optional().meta({ description: 'This answer replays an earlier rotation.' }),
  })
  .meta({
    id: 'RotatedKey',
    description:
      '`key` is the new key; `previous` the old one, revoked now or expiring when the grace period ends.',
  });

true satisfies Same<ApiKey, z.output<typeof apiKeySchema>>;
true satisfies Same<ApiKey & { graceUsage?: GraceUsage }, z.output<typeof keyDetailSchema>>;
true satisfies Same<Awaited<ReturnType<KeyService['create']>>, z.output<typeof createdKeySchema>>;
true satisfies Same<KeyScope, z.output<typeof keyScopeSchema>>;
