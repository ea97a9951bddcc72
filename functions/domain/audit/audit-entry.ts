import { z } from 'zod';
import { pageOf, type Same, timestamp } from '#domain/shared/answers.ts';
import type { AuditEntry } from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';

export type Changes = Record<string, { before: unknown; after: unknown }>;

/** An audit record as GET /v1/audit answers it (the port's AuditEntry). */
export const auditEntrySchema = z
  .object({
    at: timestamp,
    actor: z.string(),
    action: z.string().meta({ example: 'key.created' }),
    keyId: z.string().optional(),
    role: z.string().optional(),
    pepperVersion: z.string().optional(),
    portalSession: z.string().optional(),
    changes: z
      .record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }))
      .optional()
      .meta({ description: 'Field by field: the value before and after (null where there was none).' }),
    requestId: z.string(),
    context: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: "What the actor acted on beyond the request, e.g. a leak report's `url`." }),
  })
  .meta({ id: 'AuditEntry' });
export const auditPageSchema = pageOf(auditEntrySchema, 'AuditPage', 'audit records, newest first');
true satisfies Same<AuditEntry, z.output<typeof auditEntrySchema>>;

/** The audit record of one management action on a key, a role or a portal session: who, what, when, which fields. */
export function auditEntry(
  ctx: RequestContext,
  at: string,
  action: string,
  subject: { readonly keyId: string } | { readonly role: string } | { readonly portalSession: string },
  changes: Changes,
): AuditEntry {
  return {
    at,
    actor: ctx.actor,
    action,
    ...subject,
    changes,
    requestId: ctx.requestId,
    ...(ctx.auditContext ? { context: ctx.auditContext } : {}),
  };
}
