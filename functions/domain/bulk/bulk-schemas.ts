import { z } from 'zod';
import { KEY_STATUSES, KEY_TYPES } from '#domain/keys/key.ts';
import { keyStatusSchema, keyTypeSchema } from '#domain/keys/key-answers.ts';
import { timestamp } from '#domain/shared/answers.ts';
import { identifier, isoTime, keyId, LIMITS, roleName, text } from '#domain/shared/schemas.ts';

/** What a kill switch does to every key its filter matches. */
export const BULK_ACTIONS = ['revoke', 'disable'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const bulkActionSchema = z.enum(BULK_ACTIONS).meta({ id: 'BulkAction' });

/** The keys a dry run shows of what it matched. */
export const BULK_SAMPLE_SIZE = 20;

/**
 * Which keys a kill switch acts on: every field given must hold (AND). `owner` is the owner
 * exactly (the list's `owner` matches any part of it: a kill switch acts on one owner, not on
 * every owner whose name contains the text); `search` matches name, key ID or description as the
 * list does; the dates are exclusive bounds. A revoked key never matches, nor does a disabled one
 * for `disable`; a canary matches only when `type` is `canary`, so a tripwire stays armed.
 */
export const bulkFilter = z
  .strictObject({
    owner: identifier(LIMITS.owner).optional(),
    role: roleName.optional(),
    workspaceId: identifier(128).optional(),
    organizationId: identifier(128).optional(),
    type: z.enum(KEY_TYPES).optional(),
    status: z.enum(KEY_STATUSES).exclude(['revoked']).optional(),
    rotationDue: z.boolean().optional(),
    createdBefore: isoTime.optional(),
    createdAfter: isoTime.optional(),
    lastUsedBefore: isoTime.optional(),
    search: text(128).min(1).optional(),
  })
  .refine((f) => Object.values(f).some((v) => v !== undefined), {
    message: 'must name at least one field (to act on every key, give createdBefore)',
  })
  .refine((f) => f.workspaceId === undefined || f.organizationId === undefined, {
    message: 'give workspaceId or organizationId, not both: a key belongs to one or the other',
  })
  .meta({
    id: 'BulkFilter',
    description:
      'Every field given must hold. `owner` exactly; `search` as the list; the dates are exclusive bounds. A revoked key never matches; a canary only with `type: canary`.',
  });
export type BulkFilter = z.infer<typeof bulkFilter>;

/** POST /v1/keys/bulk. */
export const bulkBody = z
  .strictObject({
    filter: bulkFilter,
    action: bulkActionSchema,
    dryRun: z.boolean(),
    confirm: text(2048).min(1).optional().meta({
      description:
        'The `confirm` token of a dry run with the same filter and action, at most 10 minutes old.',
    }),
  })
  .refine((b) => b.dryRun || b.confirm !== undefined, {
    path: ['confirm'],
    message: 'is required for a run that acts (dryRun: false): make a dry run first and pass its confirm',
  })
  .meta({ id: 'BulkRequest' });
export type BulkBody = z.infer<typeof bulkBody>;

/** One key of a dry run's sample: enough to recognise it. */
export const bulkSampleKey = z
  .object({
    keyId,
    name: z.string(),
    owner: z.string(),
    type: keyTypeSchema,
    status: keyStatusSchema,
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
  })
  .meta({ id: 'BulkSampleKey' });
export type BulkSampleKey = z.infer<typeof bulkSampleKey>;

/** A dry run's answer: how many keys match, the first of them, and the token a run needs. */
export const bulkDryRunAnswer = z
  .object({
    dryRun: z.literal(true),
    action: bulkActionSchema,
    matched: z.number().int().min(0),
    sample: z.array(bulkSampleKey).max(BULK_SAMPLE_SIZE),
    confirm: z.string().meta({ description: 'Give it back, with the same filter and action, to run.' }),
    confirmExpiresAt: timestamp.meta({
      description:
        "When the token stops being accepted (10 minutes after the dry run, by the service's clock).",
    }),
  })
  .meta({ id: 'BulkDryRun' });
export type BulkDryRunAnswer = z.infer<typeof bulkDryRunAnswer>;

/** A key the run could not act on, and why. */
export const bulkFailure = z.object({ keyId, message: z.string() }).meta({ id: 'BulkFailure' });

/**
 * A run's answer. `affected` and `failed` count the whole run so far, however many calls it
 * took; `done: false` means the call's time ran out first: call again with the same body and
 * token to carry on (nothing is done twice).
 */
export const bulkRunAnswer = z
  .object({
    dryRun: z.literal(false),
    action: bulkActionSchema,
    runId: z.string(),
    affected: z.number().int().min(0),
    failed: z.array(bulkFailure),
    done: z
      .boolean()
      .meta({ description: 'false: the call ran out of time; call again with the same body.' }),
  })
  .meta({ id: 'BulkRun' });
export type BulkRunAnswer = z.infer<typeof bulkRunAnswer>;

export const bulkAnswer = z
  // A plain union: a discriminator's mapping keys are strings, which the generated types take for `dryRun`'s type.
  .union([bulkDryRunAnswer, bulkRunAnswer])
  .meta({ id: 'BulkResult', description: 'A dry run, or a run: `dryRun` says which.' });
