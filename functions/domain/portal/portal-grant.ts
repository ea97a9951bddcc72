import type { KeyRecord, KeyScope, KeyType } from '#domain/keys/key.ts';
import { type CreateKeyInput, createKeyBody, type UpdateKeyInput } from '#domain/shared/schemas.ts';

/**
 * What a portal session allows its user: the scope they manage, what they may do there, and what
 * they may give a key. Everything the portal does is checked against this in the domain, never in
 * the page.
 */
export const PORTAL_PERMISSIONS = [
  'api.key.view',
  'api.key.create',
  'api.key.update',
  'api.key.delete',
] as const;
export type PortalPermission = (typeof PORTAL_PERMISSIONS)[number];

/** The key types a portal user may create: never a canary. */
export const PORTAL_KEY_TYPES = ['personal', 'service'] as const;
export type PortalKeyType = (typeof PORTAL_KEY_TYPES)[number];

export type PortalScope =
  | { readonly workspaceId: string }
  | { readonly organizationId: string; readonly workspaceIds: readonly string[] | '*' };

export interface PortalGrant {
  readonly sessionId: string;
  /** The user in the team's product. */
  readonly subject: string;
  readonly scope: PortalScope;
  readonly permissions: readonly PortalPermission[];
  /** The roles this user may give a key. */
  readonly roles: readonly string[];
  readonly types: readonly PortalKeyType[];
  /** `all`: the user also sees (and manages) other people's personal keys in the scope. */
  readonly personalKeys: 'own' | 'all';
}

/** The audit actor of everything a portal user does. */
export const portalActor = (subject: string) => `portal:${subject}`;

/** Whether a key's scope lies wholly inside the session's scope. */
export function scopeWithin(session: PortalScope, key: KeyScope): boolean {
  if ('workspaceId' in session) return 'workspaceId' in key && key.workspaceId === session.workspaceId;
  if ('workspaceId' in key)
    return session.workspaceIds !== '*' && session.workspaceIds.includes(key.workspaceId);
  if (key.organizationId !== session.organizationId) return false;
  if (session.workspaceIds === '*') return true;
  const allowed = session.workspaceIds;
  return key.workspaceIds !== '*' && key.workspaceIds.every((w) => allowed.includes(w));
}

/**
 * Whether the session's user may see a key at all: a key they may not see answers exactly as a
 * key that does not exist, so that no portal user can learn that it does.
 */
export function keyVisible(grant: PortalGrant, key: Pick<KeyRecord, 'type' | 'scope' | 'owner'>): boolean {
  if (key.type === 'canary' || !scopeWithin(grant.scope, key.scope)) return false;
  return key.type === 'service' || grant.personalKeys === 'all' || key.owner === grant.subject;
}

/** The owner a portal-made key gets: the user for a personal key, the scope for a service key. */
export function portalOwner(subject: string, type: PortalKeyType, scope: KeyScope): string {
  if (type === 'personal') return subject;
  return 'workspaceId' in scope ? `workspace:${scope.workspaceId}` : `organization:${scope.organizationId}`;
}

export interface Refusal {
  readonly field: string;
  readonly message: string;
}

/** The role a new key gets when the user names none: `read` where allowed, else the first allowed. */
export const defaultPortalRole = (grant: PortalGrant) =>
  grant.roles.includes('read') ? 'read' : (grant.roles[0] as string);

/** Roles outside the session's, and direct permissions (a portal session gives roles only). */
function grantRefusals(
  grant: PortalGrant,
  roles: readonly string[] | undefined,
  permissions?: readonly string[],
) {
  const refused: Refusal[] = [];
  const outside = (roles ?? []).filter((r) => !grant.roles.includes(r));
  if (outside.length)
    refused.push({
      field: 'roles',
      message: `${outside.map((r) => `"${r}"`).join(', ')} ${outside.length === 1 ? 'is' : 'are'} not among the roles this session may give (${grant.roles.join(', ')})`,
    });
  if (permissions?.length)
    refused.push({ field: 'permissions', message: 'a portal session gives roles only, not permissions' });
  return refused;
}

/** What the operator alone may set on a key. */
const OPERATOR_FIELDS = ['plan', 'usageIdentifierKey'] as const;

/**
 * A create, as the portal makes it: the session's scope and owner forced, the type and roles
 * checked. Returns the refusals (403, each named) or the input to hand to the key service.
 */
export function portalCreate(
  grant: PortalGrant,
  body: PortalCreateInput,
): { refused: Refusal[] } | { input: CreateKeyInput } {
  const refused: Refusal[] = [];
  const type = body.type ?? (grant.types.includes('service') ? 'service' : 'personal');
  if (!(grant.types as readonly KeyType[]).includes(type))
    refused.push({
      field: 'type',
      message: `this session may create ${grant.types.map((t) => `${t} keys`).join(' and ')} only`,
    });
  const scope = body.scope ?? sessionScopeAsKeyScope(grant.scope);
  if (!scopeWithin(grant.scope, scope))
    refused.push({ field: 'scope', message: 'lies outside the workspaces this session manages' });
  const roles = body.roles ?? [defaultPortalRole(grant)];
  refused.push(...grantRefusals(grant, roles, body.permissions));
  const owner = portalOwner(grant.subject, type === 'personal' ? 'personal' : 'service', scope);
  if (body.owner !== undefined && body.owner !== owner)
    refused.push({ field: 'owner', message: `is set by the portal (${owner})` });
  for (const field of OPERATOR_FIELDS)
    if (body[field] !== undefined)
      refused.push({ field, message: 'is set by the operator, not in the portal' });
  if (refused.length) return { refused };
  // The rest of /v1's defaults (environment, expiry), filled as for an operator's create.
  return { input: createKeyBody.parse({ ...body, type, scope, roles, owner, permissions: [] }) };
}

/** A change, as the portal allows it: roles within the session's, no permissions, no plan. */
export function portalUpdateRefusals(grant: PortalGrant, body: UpdateKeyInput): Refusal[] {
  const refused = grantRefusals(grant, body.roles, body.permissions);
  if (body.plan !== undefined)
    refused.push({ field: 'plan', message: 'is set by the operator, not in the portal' });
  return refused;
}

/** The key scope a session's own scope stands for when a create names none. */
function sessionScopeAsKeyScope(scope: PortalScope): CreateKeyInput['scope'] {
  if ('workspaceId' in scope) return { workspaceId: scope.workspaceId };
  return {
    organizationId: scope.organizationId,
    workspaceIds: scope.workspaceIds === '*' ? '*' : [...scope.workspaceIds],
  };
}

/** A create as the portal receives it: the /v1 body, every field optional (the portal fills the rest). */
export type PortalCreateInput = Partial<CreateKeyInput>;
