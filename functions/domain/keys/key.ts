import type { Environment } from './secret.ts';

/** `canary`: a honeytoken, never valid (see canary.ts). */
export const KEY_TYPES = ['personal', 'service', 'canary'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
export const STORED_STATUSES = ['active', 'inactive', 'revoked'] as const;
export type StoredStatus = (typeof STORED_STATUSES)[number];
/** What answers show: `expired` is derived from `expiresAt`, never stored. */
export const KEY_STATUSES = [...STORED_STATUSES, 'expired'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

export type KeyScope =
  | { readonly workspaceId: string }
  | { readonly organizationId: string; readonly workspaceIds: readonly string[] | '*' };

/** What every response shows of a key. Never the secret, never its hash. */
export interface ApiKey {
  keyId: string;
  name: string;
  description?: string;
  metadata?: Record<string, string>;
  owner: string;
  type: KeyType;
  scope: KeyScope;
  roles: string[];
  permissions: string[];
  environment: Environment;
  rotationDays?: number;
  ipAllowlist?: string[];
  usageIdentifierKey?: string;
  /** Usage plan name (rate limit, burst, quota); one of the configured plans. */
  plan?: string;
  expiresAt: string | null;
  status: KeyStatus;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  lastUsedAt: string | null;
  /** The last allowed request's source address, User-Agent (cut to 128 bytes) and `METHOD /route`, as usage counting saw it. */
  lastUsedIp?: string;
  lastUsedAgent?: string;
  lastUsedRoute?: string;
  revokedAt?: string;
  rotationDueAt: string;
  rotationDue: boolean;
  rotatedFrom?: string;
  rotatedTo?: string;
  /** Stored from a secret another system issued (POST /v1/keys/import); its key ID is derived from the secret. */
  imported?: boolean;
  /** A canary's trips, as usage counting recorded them: how many, the first and latest, and from where. */
  tripCount?: number;
  firstTrippedAt?: string;
  lastTrippedAt?: string;
  lastTripSourceIp?: string;
  lastTripRoute?: string;
  version: number;
}

/** The stored record: the public fields plus the credential's hash and internal bookkeeping. */
export interface KeyRecord extends Omit<ApiKey, 'status'> {
  status: StoredStatus;
  secretHash: string;
  pepperVersion: string;
  /** True while the key counts against its owner's active-key limit. */
  slotHeld: boolean;
  /** When the next rotation reminder is due, once the key has been flagged. */
  rotationReminderAt?: string;
  /** Set once the last "expiring" notice has been published (or none is wanted, after a rotation). */
  expiryNoticeSent?: boolean;
  /** The latest UTC day an "unusual activity" event was published for. */
  unusualActivityDay?: string;
  /** The last "API Key Expiring" notice published: 14 or 3 days before `expiresAt`. */
  expiryNoticeDays?: number;
  /** The last activity (`lastUsedAt`, else `createdAt`) an "API Key Unused" event went out for. */
  unusedNoticeFor?: string;
  /** When the sweep next looks at this key for unused-ness: never later than its last activity. */
  unusedCheckAt?: string;
  /** The API Gateway API key made for this key (usage plan mode `perKey`); its value is `usageIdentifierKey`. */
  usageKeyId?: string;
  /** The plan whose usage plan `usageKeyId` is attached to. */
  usageKeyPlan?: string;
  /** Quota thresholds already announced, as `<period start>:<percent>` (usage plan events). */
  quotaNotices?: string[];
  /** The last activity (`lastUsedAt`, else `createdAt`) the policy disabled the key for as unused. */
  unusedDisabledFor?: string;
  /** A superseded key in its grace period: when the rotation was (requests are counted from then). */
  graceFrom?: string;
  /** The latest its grace may be extended to: 30 days from the rotation, or its own expiry if sooner. */
  graceLimitAt?: string;
  /** Its requests on the rotation's UTC day up to the rotation: what graceUsage leaves out. */
  graceBaselineDay?: string;
  graceBaselineRequests?: number;
  /** When the "API Key Still In Use" check runs: an hour before the grace ends (its midpoint if shorter). */
  graceCheckAt?: string;
  /** The grace end (`expiresAt`) that check has run for. */
  graceCheckedFor?: string;
}

const INTERNAL = [
  'secretHash',
  'pepperVersion',
  'slotHeld',
  'rotationReminderAt',
  'expiryNoticeSent',
  'unusualActivityDay',
  'expiryNoticeDays',
  'unusedNoticeFor',
  'unusedCheckAt',
  'usageKeyId',
  'usageKeyPlan',
  'quotaNotices',
  'unusedDisabledFor',
  'graceFrom',
  'graceLimitAt',
  'graceBaselineDay',
  'graceBaselineRequests',
  'graceCheckAt',
  'graceCheckedFor',
] as const;

export const DAY_MS = 86_400_000;

export const DEFAULT_ROTATION_DAYS: Record<Environment, number> = { production: 90, development: 180 };

export function rotationPeriodDays(key: Pick<KeyRecord, 'environment' | 'rotationDays'>): number {
  return key.rotationDays ?? DEFAULT_ROTATION_DAYS[key.environment];
}

export function rotationDueAt(key: Pick<KeyRecord, 'environment' | 'rotationDays' | 'createdAt'>): string {
  return new Date(Date.parse(key.createdAt) + rotationPeriodDays(key) * DAY_MS).toISOString();
}

/** A key's last activity: its last use, else (never used) its creation. What "unused" counts from. */
export const lastActivity = (key: Pick<KeyRecord, 'lastUsedAt' | 'createdAt'>): string =>
  key.lastUsedAt ?? key.createdAt;

/** `expiresAt` is authoritative; DynamoDB TTL deletes late. `expiresAt == now` counts as expired. */
export function isExpired(key: Pick<KeyRecord, 'expiresAt'>, now: Date): boolean {
  return key.expiresAt !== null && Date.parse(key.expiresAt) <= now.getTime();
}

export function effectiveStatus(key: Pick<KeyRecord, 'status' | 'expiresAt'>, now: Date): KeyStatus {
  if (key.status === 'revoked') return 'revoked';
  if (isExpired(key, now)) return 'expired';
  return key.status;
}

/** A key holds one of its owner's slots until it is revoked, deleted or expired. */
export function holdsSlot(key: Pick<KeyRecord, 'status' | 'expiresAt'>, now: Date): boolean {
  const status = effectiveStatus(key, now);
  return status === 'active' || status === 'inactive';
}

/**
 * The order a key's fields are answered in, `keyId` first. DynamoDB hands a record's attributes
 * back in no particular order, so without it two reads of one key would print differently.
 * Typed as every field of ApiKey, so a new field must be placed here.
 */
const FIELD_ORDER: { readonly [F in keyof Required<ApiKey>]: true } = {
  keyId: true,
  name: true,
  description: true,
  metadata: true,
  owner: true,
  type: true,
  scope: true,
  roles: true,
  permissions: true,
  environment: true,
  rotationDays: true,
  ipAllowlist: true,
  usageIdentifierKey: true,
  plan: true,
  expiresAt: true,
  status: true,
  createdAt: true,
  createdBy: true,
  updatedAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  lastUsedAgent: true,
  lastUsedRoute: true,
  revokedAt: true,
  rotationDueAt: true,
  rotationDue: true,
  rotatedFrom: true,
  rotatedTo: true,
  imported: true,
  tripCount: true,
  firstTrippedAt: true,
  lastTrippedAt: true,
  lastTripSourceIp: true,
  lastTripRoute: true,
  version: true,
};
const ORDER = Object.keys(FIELD_ORDER);

export function toApiKey(record: KeyRecord, now: Date): ApiKey {
  const visible: Record<string, unknown> = { ...record, status: effectiveStatus(record, now) };
  for (const field of INTERNAL) delete visible[field];
  // A value Latchkey made for API Gateway (perKey) is kept out of answers: it is not the team's to use.
  if (record.usageKeyId) delete visible.usageIdentifierKey;
  // Fields a record carries beyond ApiKey's (from a newer writer) follow, by name.
  const rest = Object.keys(visible)
    .filter((field) => !(field in FIELD_ORDER))
    .sort();
  const ordered: Record<string, unknown> = {};
  for (const field of [...ORDER, ...rest]) if (field in visible) ordered[field] = visible[field];
  return ordered as unknown as ApiKey;
}

/** Workspace scope check: workspace keys match their own workspace, organization keys `*` or a list. */
export function scopeAllowsWorkspace(scope: KeyScope, workspaceId: string): boolean {
  if ('workspaceId' in scope) return scope.workspaceId === workspaceId;
  return scope.workspaceIds === '*' || scope.workspaceIds.includes(workspaceId);
}

/** The actor a request acts as: a service key's name, otherwise its owner. */
export function keyActor(key: Pick<KeyRecord, 'type' | 'name' | 'owner'>): string {
  return key.type === 'service' ? key.name : key.owner;
}
