/** Who is acting, for createdBy and the audit trail. */
export interface RequestContext {
  readonly actor: string;
  readonly requestId: string;
  /** Written into the audit records of this request (see AuditEntry.context). */
  readonly auditContext?: Readonly<Record<string, string>>;
}
