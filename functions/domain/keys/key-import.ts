import { z } from 'zod';
import { auditEntry } from '#domain/audit/audit-entry.ts';
import { policyIssues } from '#domain/compliance/policy.ts';
import {
  DETAIL_TYPES,
  keyEvent,
  type LatchkeyEvent,
  publishQuietly,
} from '#domain/events/lifecycle-events.ts';
import { ApiError, ERROR_CODES } from '#domain/shared/errors.ts';
import { LimitExceededError, RoleMissingError, VersionConflictError } from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import { createKeyBody } from '#domain/shared/schemas.ts';
import { IMPORTED_SECRET_SHAPE, importedKeyId, isImportableSecret } from './imported-secret.ts';
import { assertKeyItemFits } from './item-size.ts';
import { type ApiKey, DAY_MS, type KeyRecord, toApiKey } from './key.ts';
import { apiKeySchema } from './key-answers.ts';
import { diff, type KeyServiceDeps, roleDeltas } from './key-service.ts';
import { hashSecret } from './secret-hash.ts';

export const MAX_IMPORT = 100;

const importedSecret = z
  .string()
  .regex(
    IMPORTED_SECRET_SHAPE,
    'must be 20 to 256 printable ASCII characters without spaces (the shape of an importable key)',
  )
  .refine((s) => isImportableSecret(s), 'is a Latchkey secret (lk_live_/lk_test_): those need no import');

/**
 * One key to import: the create fields and the secret it already has. A canary cannot be
 * imported, and neither can a plan: an imported key is due for rotation, and its successor
 * takes a plan (and, in perKey mode, its API Gateway key) through the usual create path.
 */
export const importKeyItem = createKeyBody.omit({ plan: true }).extend({
  secret: importedSecret,
  type: z.enum(['personal', 'service']).default('service'),
});
export const importKeysBody = z
  .strictObject({
    keys: z
      .array(importKeyItem)
      .min(1, 'must hold at least one key')
      .max(MAX_IMPORT, `must hold at most ${MAX_IMPORT} keys per call`),
  })
  .meta({ id: 'ImportKeysRequest' });
export type ImportKeysInput = z.infer<typeof importKeysBody>;

/** POST /v1/keys/import: the keys stored, and each refused one by its index in `keys`. */
export const importResultSchema = z
  .object({
    imported: z.array(apiKeySchema),
    failed: z.array(
      z.object({
        index: z.number().int(),
        error: z.object({
          code: z.enum([...ERROR_CODES, 'ALREADY_IMPORTED']),
          message: z.string(),
        }),
      }),
    ),
  })
  .meta({ id: 'ImportResult' });
export type ImportFailure = z.output<typeof importResultSchema>['failed'][number];

export interface ImportDeps extends KeyServiceDeps {
  /** Days until an imported key is due for rotation (0: due at once). */
  readonly importRotationDays: number;
}

/**
 * Stores secrets another system issued as Latchkey keys: only their HMAC (under the current
 * pepper version), with a key ID derived from the secret (imported.ts), `imported: true`, and a
 * rotation due date `importRotationDays` from now, so that they move to the checksummed format.
 * Each key is its own transaction (owner slot, role counts, audit), like a create; one that fails
 * is reported by index and the rest go on. The same secret twice is refused by the write's
 * condition on the derived key ID, so it is never stored twice.
 */
export async function importKeys(
  input: ImportKeysInput,
  ctx: RequestContext,
  deps: ImportDeps,
): Promise<{ imported: ApiKey[]; failed: ImportFailure[] }> {
  const now = deps.now();
  const at = now.toISOString();
  const peppers = await deps.peppers();
  const imported: ApiKey[] = [];
  const failed: ImportFailure[] = [];
  const events: LatchkeyEvent[] = [];
  const missingRoles = await deps.roles.missingRoles([...new Set(input.keys.flatMap((k) => k.roles))]);
  for (const [index, item] of input.keys.entries()) {
    const { secret, name, owner, expiresAt, ...settings } = item;
    const missing = item.roles.filter((r) => missingRoles.includes(r));
    if (missing.length) {
      failed.push({
        index,
        error: { code: 'VALIDATION_FAILED', message: `role "${missing[0]}" does not exist` },
      });
      continue;
    }
    if (expiresAt && Date.parse(expiresAt) <= now.getTime()) {
      failed.push({
        index,
        error: { code: 'VALIDATION_FAILED', message: 'expiresAt must be in the future' },
      });
      continue;
    }
    const keyId = importedKeyId(secret, peppers);
    const record: KeyRecord = {
      keyId,
      ...settings,
      name: name ?? keyId,
      owner: owner ?? ctx.actor,
      expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null,
      status: 'active',
      createdAt: at,
      createdBy: ctx.actor,
      updatedAt: at,
      lastUsedAt: null,
      rotationDueAt: new Date(now.getTime() + deps.importRotationDays * DAY_MS).toISOString(),
      rotationDue: false,
      imported: true,
      version: 1,
      slotHeld: true,
      ...hashSecret(secret, peppers),
    };
    // Held to the compliance policy and the item budget like a create: a failure names the rule.
    const issues = policyIssues(deps.policy ?? {}, record, now);
    if (issues.length) {
      const message = issues.map((i) => `${i.rule}: ${i.field} ${i.message}`).join('; ');
      failed.push({ index, error: { code: 'POLICY_VIOLATION', message } });
      continue;
    }
    const key = toApiKey(record, now);
    try {
      assertKeyItemFits(record, deps.itemOf?.(record) ?? (record as unknown as Record<string, unknown>));
      await deps.store.createKey(record, {
        audit: auditEntry(ctx, at, 'key.imported', { keyId }, diff(undefined, key)),
        slot: { kind: 'acquire', limit: deps.ownerLimit },
        roleDeltas: roleDeltas(undefined, record),
      });
    } catch (error) {
      const failure = failureOf(error, keyId);
      if (!failure) throw error;
      failed.push({ index, error: failure });
      continue;
    }
    imported.push(key);
    events.push(keyEvent(DETAIL_TYPES.created, key, at, ctx.actor, { imported: true }));
  }
  if (events.length) await publishQuietly(events, deps.events, deps.onEventError);
  return { imported, failed };
}

function failureOf(error: unknown, keyId: string): ImportFailure['error'] | undefined {
  // The derived key ID exists: this very secret is stored already.
  if (error instanceof VersionConflictError)
    return { code: 'ALREADY_IMPORTED', message: `this secret is already stored, as key ${keyId}` };
  if (error instanceof LimitExceededError) {
    return {
      code: 'LIMIT_EXCEEDED',
      message: `owner "${error.owner}" already has the maximum of ${error.limit} active keys`,
    };
  }
  if (error instanceof RoleMissingError)
    return { code: 'VALIDATION_FAILED', message: `role "${error.role}" does not exist` };
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  return undefined;
}
