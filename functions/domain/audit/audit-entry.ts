import type { AuditEntry } from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';

export type Changes = Record<string, { before: unknown; after: unknown }>;

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
