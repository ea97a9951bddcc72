import { importedKeyId, isImportableSecret } from '#domain/keys/imported-secret.ts';
import { isExpired, type KeyRecord, scopeAllowsWorkspace } from '#domain/keys/key.ts';
import { parseSecret } from '#domain/keys/secret.ts';
import { type PepperSet, secretMatches } from '#domain/keys/secret-hash.ts';
import {
  effectivePermissions,
  hasPermission,
  isBuiltinRole,
  type RoleDef,
} from '#domain/roles/permissions.ts';
import { ipAllowed } from './network.ts';

/** Refusals, in the order they are checked. Expected refusals are data, not errors. */
export const REFUSALS = [
  'MISSING',
  'MALFORMED',
  'NOT_FOUND',
  'INVALID_SECRET',
  'REVOKED',
  'DISABLED',
  'EXPIRED',
  'IP_NOT_ALLOWED',
  'WORKSPACE_NOT_ALLOWED',
  'INSUFFICIENT_PERMISSIONS',
] as const;
export type RefusalCode = (typeof REFUSALS)[number];
export type DecisionCode = 'VALID' | RefusalCode;

/**
 * Each refusal's class and the HTTP status a caller gets for it, stated one by one (as Unkey's
 * key service does) rather than derived from the list's order: a credential that does not
 * authenticate is a 401, an authenticated key that is not allowed is a 403. The authorizer,
 * `/demo`, `/v1/verify` and the table in docs/authorizer.md all read this.
 */
export const REFUSAL_STATUS: Readonly<
  Record<RefusalCode, { readonly kind: 'unauthenticated' | 'forbidden'; readonly status: 401 | 403 }>
> = {
  MISSING: { kind: 'unauthenticated', status: 401 },
  MALFORMED: { kind: 'unauthenticated', status: 401 },
  NOT_FOUND: { kind: 'unauthenticated', status: 401 },
  INVALID_SECRET: { kind: 'unauthenticated', status: 401 },
  REVOKED: { kind: 'unauthenticated', status: 401 },
  DISABLED: { kind: 'unauthenticated', status: 401 },
  EXPIRED: { kind: 'unauthenticated', status: 401 },
  IP_NOT_ALLOWED: { kind: 'forbidden', status: 403 },
  WORKSPACE_NOT_ALLOWED: { kind: 'forbidden', status: 403 },
  INSUFFICIENT_PERMISSIONS: { kind: 'forbidden', status: 403 },
};
export const isAuthenticated = (code: DecisionCode) =>
  code === 'VALID' || REFUSAL_STATUS[code].kind === 'forbidden';
/** The status a caller of a protected route gets for a decision. */
export const httpStatusOf = (code: DecisionCode): 200 | 401 | 403 =>
  code === 'VALID' ? 200 : REFUSAL_STATUS[code].status;

export interface VerifyRequest {
  readonly secret: string | undefined;
  readonly sourceIp?: string;
  /** The workspace the request is for; undefined when the API does not check workspaces. */
  readonly workspaceId?: string | null;
  /** Permissions the route needs, all of them; empty or undefined when none is checked here. */
  readonly required?: readonly string[];
}

export interface VerifyDeps {
  /** The one strongly consistent read by key ID. */
  readonly getKey: (keyId: string) => Promise<KeyRecord | undefined>;
  /**
   * The pepper set. Given a version the cached set lacks (a key hashed under a pepper added since
   * the cache was filled), it fetches again, so a rotation reaches every check at once.
   */
  readonly peppers: (needVersion?: string) => Promise<PepperSet>;
  readonly now: () => Date;
  /** Custom role definitions for these names; built-ins need no lookup. */
  readonly customRoles: (names: readonly string[]) => Promise<ReadonlyMap<string, RoleDef>>;
}

export type Decision =
  | { readonly valid: true; readonly code: 'VALID'; readonly key: KeyRecord; readonly permissions: string[] }
  | {
      readonly valid: false;
      readonly code: RefusalCode;
      /** The key ID the secret names (safe to log), once the secret is well-formed. */
      readonly keyId?: string;
      /** Present once the secret has been proven; never for NOT_FOUND or INVALID_SECRET. */
      readonly key?: KeyRecord;
      readonly permissions?: string[];
      /**
       * A canary's key ID was named, with its own secret or any other. The caller answers as for
       * a live key's wrong secret (INVALID_SECRET) and raises the alarm off the answer's path;
       * `key` stays unset so nothing else treats it as a key.
       */
      readonly canary?: KeyRecord;
    };

/**
 * The verification decision: parse (no I/O), one read by key ID, a constant-time hash compare,
 * then status, expiry, IP allowlist, workspace and permissions, in that order. Infrastructure
 * failures (the read, the pepper) propagate as errors so the caller can fail closed.
 */
export async function verify(request: VerifyRequest, deps: VerifyDeps): Promise<Decision> {
  if (!request.secret) return { valid: false, code: 'MISSING' };
  const parsed = parseSecret(request.secret);
  let record: KeyRecord | undefined;
  let peppers: PepperSet;
  let keyId: string | undefined;
  if (parsed.ok) {
    keyId = parsed.keyId;
    [record, peppers] = await Promise.all([deps.getKey(parsed.keyId), deps.peppers()]);
  } else if (parsed.reason === 'prefix' && isImportableSecret(request.secret)) {
    // An imported secret: its key ID comes from the secret, so the pepper comes first, then the one read.
    peppers = await deps.peppers();
    record = await deps.getKey(importedKeyId(request.secret, peppers));
    if (record && !record.imported) record = undefined;
  } else return { valid: false, code: 'MALFORMED' };
  if (record && !peppers.byVersion.has(record.pepperVersion))
    peppers = await deps.peppers(record.pepperVersion);
  // The compare runs even when there is no record, so NOT_FOUND costs what INVALID_SECRET does.
  const matches = secretMatches(request.secret, record, peppers);
  if (!record) return { valid: false, code: 'NOT_FOUND', ...(keyId ? { keyId } : {}) };
  // Whatever the secret, a canary is answered as a live key's wrong secret, after the same read
  // and compare: probing it with a made-up secret trips it, and tells it from no live key.
  if (record.type === 'canary')
    return { valid: false, code: 'INVALID_SECRET', keyId: record.keyId, canary: record };
  if (!matches) return { valid: false, code: 'INVALID_SECRET', keyId: record.keyId };
  if (record.status === 'revoked') return { valid: false, code: 'REVOKED', key: record };
  if (record.status === 'inactive') return { valid: false, code: 'DISABLED', key: record };
  if (isExpired(record, deps.now())) return { valid: false, code: 'EXPIRED', key: record };
  if (record.ipAllowlist?.length && !ipAllowed(request.sourceIp, record.ipAllowlist)) {
    return { valid: false, code: 'IP_NOT_ALLOWED', key: record };
  }
  const customNames = record.roles.filter((r) => !isBuiltinRole(r));
  const permissions = effectivePermissions(
    record.roles,
    record.permissions,
    customNames.length ? await deps.customRoles(customNames) : new Map(),
  );
  if (request.workspaceId !== undefined) {
    if (request.workspaceId === null || !scopeAllowsWorkspace(record.scope, request.workspaceId)) {
      return { valid: false, code: 'WORKSPACE_NOT_ALLOWED', key: record, permissions };
    }
  }
  if (request.required?.some((permission) => !hasPermission(permissions, permission))) {
    return { valid: false, code: 'INSUFFICIENT_PERMISSIONS', key: record, permissions };
  }
  return { valid: true, code: 'VALID', key: record, permissions };
}
