import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import type { KeyRecord, KeyStatus, KeyType } from '#domain/keys/key.ts';

/**
 * The domain's ports: every interface the domain needs from outside it (the stores, the event
 * bus) and the errors their adapters raise. Adapters live in functions/store/ and platform/.
 */

/** The custom-role part of the data port. */
export interface RoleStore {
  getRole(name: string): Promise<StoredRole | undefined>;
  listRoles(): Promise<StoredRole[]>;
  createRole(role: StoredRole, audit: AuditEntry): Promise<void>;
  updateRole(role: StoredRole, expectedVersion: number, audit: AuditEntry): Promise<void>;
  deleteRole(name: string, audit: AuditEntry): Promise<void>;
}

/** Roles a key may name: the built-ins and the custom roles that exist. */
export interface RoleLookup {
  missingRoles(names: readonly string[]): Promise<string[]>;
}

/** Where events go: EventBridge in AWS, the events table locally. */
export interface EventPublisher {
  publish(events: readonly LatchkeyEvent[]): Promise<void>;
}

/** One audit record: who did what to which subject, with field-level before/after. Never secrets. */
export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly keyId?: string;
  readonly role?: string;
  /** A pepper version, for pepper rotation and retirement. */
  readonly pepperVersion?: string;
  /** A portal session, for its creation, its use and its end. */
  readonly portalSession?: string;
  readonly changes?: Record<string, { before: unknown; after: unknown }>;
  readonly requestId: string;
  /** What the actor acted on beyond the request itself, e.g. a leak report's `url` and `source`. */
  readonly context?: Readonly<Record<string, string>>;
}

/** How a write moves the owner's active-key counter. */
export type SlotChange = { readonly kind: 'acquire'; readonly limit: number } | { readonly kind: 'release' };

export interface KeyFilter {
  readonly search?: string;
  readonly owner?: string;
  readonly role?: string;
  readonly status?: KeyStatus;
  readonly type?: KeyType;
  readonly rotationDue?: boolean;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
  /** The request's read budget ran out before the page was full; `nextCursor` carries on. */
  readonly truncated?: boolean;
}

export interface KeyWrite {
  readonly audit: AuditEntry;
  readonly slot?: SlotChange;
  /**
   * How many more (or fewer) live keys use each custom role. A role a key starts using must
   * still exist when the write lands, or the write fails with RoleMissingError.
   */
  readonly roleDeltas?: Readonly<Record<string, number>>;
}

/**
 * The data port. The DynamoDB adapter is the only implementation that knows about tables,
 * conditions and transactions; the domain speaks only this.
 */
export interface KeyStore {
  /** Strongly consistent: revocation must take effect on the next read. */
  getKey(keyId: string): Promise<KeyRecord | undefined>;
  /** Fails with LimitExceededError when `slot` would take the owner past its limit. */
  createKey(record: KeyRecord, write: KeyWrite): Promise<void>;
  /** Writes `next` if the stored version is still `current.version`; VersionConflictError if not. */
  updateKey(current: KeyRecord, next: KeyRecord, write: KeyWrite): Promise<void>;
  /** Deletes the record if the stored version is still `current.version`. */
  deleteKey(current: KeyRecord, write: KeyWrite): Promise<void>;
  listKeys(filter: KeyFilter, limit: number, cursor: string | undefined, now: Date): Promise<Page<KeyRecord>>;
  /** Writes the old key's change and its successor in one transaction, if the old key is still `current.version`. */
  rotateKey(current: KeyRecord, old: KeyRecord, successor: KeyRecord, write: KeyWrite): Promise<void>;
  /** Active keys whose rotation check (flag or reminder) is due by `asOf`, from the sparse index. */
  rotationDue(asOf: string, cursor: string | undefined): Promise<SweepPage>;
  /** Keys with an expiry by `before` that still hold a slot or await their notice, from the sparse index. */
  expiring(before: string, cursor: string | undefined): Promise<SweepPage>;
}

/**
 * The sweep's view of unused keys: a sparse index of active keys by the time to look at them
 * again (never later than their last use, or creation if never used).
 */
export interface UnusedKeyIndex {
  /** Active keys to look at by `before` (oldest first). */
  unusedSince(before: string, cursor: string | undefined): Promise<SweepPage>;
  /** Moves the key's next look to `at`, if it is still `current.version`; bookkeeping, not a change (no audit, no version). */
  recheckUnused(current: KeyRecord, at: string): Promise<void>;
}

export interface SweepPage {
  readonly items: KeyRecord[];
  readonly nextCursor: string | undefined;
  /** Items DynamoDB read for this page (its ScannedCount). */
  readonly itemsRead: number;
}

export class VersionConflictError extends Error {
  constructor(readonly keyId: string) {
    super(`key ${keyId} changed concurrently`);
    this.name = 'VersionConflictError';
  }
}

export class LimitExceededError extends Error {
  constructor(
    readonly owner: string,
    readonly limit: number,
  ) {
    super(`owner ${owner} has reached the limit of ${limit} active keys`);
    this.name = 'LimitExceededError';
  }
}

export class RoleMissingError extends Error {
  constructor(readonly role: string) {
    super(`role ${role} does not exist`);
    this.name = 'RoleMissingError';
  }
}

export interface StoredRole {
  readonly name: string;
  readonly description: string;
  readonly permissions: string[];
  /** Live (not revoked) keys that name this role. */
  readonly keyCount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export class RoleInUseError extends Error {
  constructor(
    readonly role: string,
    readonly keyCount: number,
  ) {
    super(`role ${role} is used by ${keyCount} keys`);
    this.name = 'RoleInUseError';
  }
}

export interface AuditQuery {
  readonly keyId?: string;
  readonly actor?: string;
  readonly action?: string;
}

/** The audit trail's read side (records are written with the change they describe). */
export interface AuditLog {
  query(filter: AuditQuery, limit: number, cursor: string | undefined): Promise<Page<AuditEntry>>;
}

/**
 * Where a canary was tripped, as far as the service knows: the request's source address (none
 * for a REST `TOKEN` authorizer) and its `METHOD /path`. Both come from the caller, so they are
 * cut to a bound before they are kept on the key.
 */
export interface TripSighting {
  readonly sourceIp?: string;
  readonly route: string;
}

/** A canary's trips in one batch: how many, the first and the latest, and where the latest came from. */
export interface TripCount {
  readonly keyId: string;
  count: number;
  firstAt: string;
  lastAt: string;
  last: TripSighting;
}

export interface UsageDay {
  readonly date: string;
  readonly allowed: number;
  readonly refused: number;
}

export class InvalidCursorError extends Error {
  constructor(message = 'cursor is invalid or belongs to another query') {
    super(message);
    this.name = 'InvalidCursorError';
  }
}

/** An API Gateway API key made for one Latchkey key (usage plan mode `perKey`). */
export interface GatewayKey {
  readonly id: string;
  /** The API key's value: what the authorizer returns as `usageIdentifierKey`. Not a Latchkey secret. */
  readonly value: string;
}

/**
 * API Gateway's API keys and usage plans, as Latchkey's management functions use them (never the
 * authorizer). The adapter is functions/platform/aws/gateway-keys.ts.
 */
export interface GatewayKeys {
  /** Creates an API key for `keyId` (named after it, so the sweep can tell whose it is). */
  create(keyId: string): Promise<GatewayKey>;
  /** Attaches an API key to the usage plan of `plan` (CreateUsagePlanKey). */
  attach(apiKeyId: string, plan: string): Promise<void>;
  /** Deletes an API key; one that is already gone is fine. */
  remove(apiKeyId: string): Promise<void>;
  /** Every API key this service created, with the Latchkey key it was made for. */
  list(): Promise<{ readonly id: string; readonly keyId: string }[]>;
  /** Requests counted against a usage plan's quota for one API key since `from` (GetUsage). */
  used(apiKeyId: string, plan: string, from: Date, to: Date): Promise<number>;
}

/** Requests a key has made against its plan's quota in a period: the local limiter, or API Gateway's GetUsage. */
export interface QuotaCounter {
  /** `shared` when the count is the whole plan's (usage plan mode `shared`), not the key's own. */
  used(record: KeyRecord, plan: string, from: Date, to: Date): Promise<{ used: number; shared: boolean }>;
}

/** Where the pepper document is kept: Secrets Manager in AWS, the 0600 file in the data folder locally. */
export interface PepperVault {
  /** The current document, read afresh (no cache). */
  read(): Promise<string>;
  /**
   * Stores a new document as the current one if the current one is still `expected` (what the
   * change was made from); PepperChangedError if another change landed first.
   */
  write(raw: string, expected: string): Promise<void>;
}

/** Another pepper change landed between this change's read and its write: nothing was written. */
export class PepperChangedError extends Error {
  constructor() {
    super('the pepper changed while this change was being made; nothing was written, retry');
    this.name = 'PepperChangedError';
  }
}

/** How many live keys use a pepper version, and how that was known. */
export interface PepperVersionUsage {
  readonly liveKeys: number;
  /** `counter`: the version's counter, kept since it was added; `scan`: counted by a scan (versions from before counters). */
  readonly countedBy: 'counter' | 'scan';
}

/** The store side of pepper rotation: per-version live-key counts, and the audit trail. */
export interface PepperUsageStore {
  usage(version: string): Promise<PepperVersionUsage>;
  /** Starts a version's counter (at zero) before any key can be hashed under it. */
  track(version: string): Promise<void>;
  audit(entry: AuditEntry): Promise<void>;
}
