/** The management API's shapes, as the dashboard reads them (see README "Management API"). */
export type KeyStatus = 'active' | 'inactive' | 'revoked' | 'expired';
export type KeyType = 'personal' | 'service' | 'canary';
export type Environment = 'production' | 'development';

export type KeyScope = { workspaceId: string } | { organizationId: string; workspaceIds: string[] | '*' };

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
  plan?: string;
  expiresAt: string | null;
  status: KeyStatus;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  lastUsedAt: string | null;
  /** The last allowed request's address, User-Agent (cut to 128 bytes) and `METHOD /route`. */
  lastUsedIp?: string;
  lastUsedAgent?: string;
  lastUsedRoute?: string;
  revokedAt?: string;
  rotationDueAt: string;
  rotationDue: boolean;
  rotatedFrom?: string;
  rotatedTo?: string;
  /** While either key of a rotation is in its grace: the old key's requests since the rotation. */
  graceUsage?: { since: string; requests: number; lastUsedAt: string | null };
  /** A canary's trips: how many, the first and latest, and where the latest came from. */
  tripCount?: number;
  firstTrippedAt?: string;
  lastTrippedAt?: string;
  lastTripSourceIp?: string;
  lastTripRoute?: string;
  version: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** Set when the server stopped reading before it filled the page. */
  truncated?: boolean;
}

export interface CreatedKey {
  key: ApiKey;
  secret: string;
}

export interface RotatedKey extends CreatedKey {
  previous: ApiKey;
}

export interface UsageDay {
  date: string;
  allowed: number;
  refused: number;
}

/** The top 20 routes (or addresses) by requests; every other one's requests are `other`. */
export interface TopRoutes {
  top: { route: string; requests: number }[];
  other: number;
}
export interface TopSourceIps {
  top: { sourceIp: string; requests: number }[];
  other: number;
}

/** p50 and p99 of the checks' own latency, in milliseconds (1% relative accuracy). */
export interface LatencySummary {
  p50: number;
  p99: number;
}

/** A day of one key: its refusals by code, latency, top routes and addresses. */
export interface KeyUsageDay extends UsageDay {
  refusals: Record<string, number>;
  latencyMs: LatencySummary | null;
  routes: TopRoutes;
  sourceIps: TopSourceIps;
}

/** GET /v1/keys/{keyId}/usage. */
export interface Usage {
  keyId: string;
  lastUsedAt: string | null;
  days: KeyUsageDay[];
  total: { allowed: number; refused: number; refusals: Record<string, number> };
  latencyMs: LatencySummary | null;
  routes: TopRoutes;
  sourceIps: TopSourceIps;
}

/** One of GET /v1/keys/{keyId}/requests: a check of the key, newest first. */
export interface RequestRow {
  at: string;
  /** `ALLOWED`, or the refusal code. */
  outcome: string;
  method: string;
  path: string;
  sourceIp: string | null;
  userAgent: string | null;
  latencyMs: number;
  region: string | null;
}

export interface RequestsPage extends Page<RequestRow> {
  keyId: string;
}

export interface UsageOverviewItem {
  keyId: string;
  /** The key's name; its ID when the key has been deleted since. */
  name: string;
  owner: string | null;
  status: KeyStatus | 'deleted';
  total: { allowed: number; refused: number };
  days: UsageDay[];
  lastUsedAt: string | null;
  expiresAt: string | null;
  rotatedFrom?: string;
  rotatedTo?: string;
  unusual: boolean;
  latest: number;
  baseline: number | null;
}

/** GET /v1/usage: keys with traffic in the window, most active first. */
export interface UsageOverview {
  window: { days: number; from: string; to: string };
  total: { allowed: number; refused: number; keys: number };
  series: UsageDay[];
  thresholds: { factor: number; minRequests: number; minAgeDays: number };
  items: UsageOverviewItem[];
  nextCursor: string | null;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  keyId?: string;
  role?: string;
  changes?: Record<string, { before: unknown; after: unknown }>;
  requestId: string;
}

export interface Role {
  name: string;
  description: string;
  permissions: string[];
  builtin: boolean;
  keyCount?: number;
  createdAt?: string;
  updatedAt?: string;
  version?: number;
}

export interface SweepEntry {
  keyId: string;
  name: string;
  owner: string;
  rotationDueAt?: string;
  expiresAt?: string | null;
}

export interface SweepResult {
  asOf: string;
  /** What the expiry, unused and unusual-activity passes ran as of (never later than now for a run). */
  noticesAsOf: string;
  dryRun: boolean;
  flagged: SweepEntry[];
  reminded: SweepEntry[];
  expiringSoon: SweepEntry[];
  unused?: SweepEntry[];
  reconciled: SweepEntry[];
  unusual?: SweepEntry[];
  failed: number;
}

export interface CreateKeyBody {
  name?: string;
  description?: string;
  owner?: string;
  type: KeyType;
  scope?: KeyScope;
  roles: string[];
  permissions: string[];
  environment: Environment;
  ipAllowlist?: string[];
  plan?: string;
  expiresAt: string | null;
}

export interface UpdateKeyBody {
  name?: string;
  description?: string | null;
  roles?: string[];
  permissions?: string[];
  expiresAt?: string | null;
  ipAllowlist?: string[] | null;
  enabled?: boolean;
  plan?: string | null;
}

/** GET /v1/plans. */
export interface UsagePlan {
  name: string;
  rateLimit: number;
  burstLimit: number;
  quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH' };
}
export interface Plans {
  mode: 'local' | 'shared' | 'perKey';
  items: UsagePlan[];
}

/** GET /v1/keys/{keyId}/quota. */
export interface Quota {
  keyId: string;
  plan: string | null;
  shared: boolean;
  limit?: number | null;
  period?: string | null;
  used?: number;
  remaining?: number | null;
  resetsAt?: string | null;
}

export type BulkAction = 'revoke' | 'disable';

/** POST /v1/keys/bulk's filter: `owner` exactly; the others as the list's. */
export interface BulkFilter {
  search?: string;
  owner?: string;
  role?: string;
  status?: 'active' | 'inactive' | 'expired';
}

export interface BulkDryRun {
  dryRun: true;
  action: BulkAction;
  matched: number;
  sample: Pick<ApiKey, 'keyId' | 'name' | 'owner' | 'type' | 'status' | 'createdAt' | 'lastUsedAt'>[];
  confirm: string;
  confirmExpiresAt: string;
}

export interface BulkRun {
  dryRun: false;
  action: BulkAction;
  runId: string;
  affected: number;
  failed: { keyId: string; message: string }[];
  done: boolean;
}
