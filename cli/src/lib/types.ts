/**
 * The API's answers as the CLI reads them. The CLI speaks only the public HTTP API, so these are
 * its own view of the JSON, not imports from the service.
 */
export type KeyScope = { workspaceId: string } | { organizationId: string; workspaceIds: string[] | '*' };

export interface ApiKey {
  keyId: string;
  name: string;
  description?: string;
  metadata?: Record<string, string>;
  owner: string;
  type: string;
  scope: KeyScope;
  roles: string[];
  permissions: string[];
  environment: string;
  rotationDays?: number;
  ipAllowlist?: string[];
  usageIdentifierKey?: string;
  plan?: string;
  expiresAt: string | null;
  status: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  lastUsedAt: string | null;
  lastUsedIp?: string;
  lastUsedAgent?: string;
  lastUsedRoute?: string;
  revokedAt?: string;
  rotationDueAt: string;
  rotationDue: boolean;
  rotatedFrom?: string;
  rotatedTo?: string;
  version: number;
  /** While either key of a rotation is in its grace: the old key's requests since the rotation. */
  graceUsage?: { since: string; requests: number; lastUsedAt: string | null };
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

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** The API's read budget ran out before the page was full; nextCursor carries on. */
  truncated?: boolean;
}

export interface CreatedKey {
  key: ApiKey;
  secret: string;
}

export interface RotatedKey {
  key: ApiKey;
  /** Null when the API replays an earlier rotation (same Idempotency-Key). */
  secret: string | null;
  previous: ApiKey;
  replayed?: boolean;
}

export interface Usage {
  keyId: string;
  lastUsedAt: string | null;
  days: { date: string; allowed: number; refused: number }[];
  total: { allowed: number; refused: number };
}

/** One of GET /v1/keys/{keyId}/requests, newest first. */
export interface RequestRow {
  at: string;
  outcome: string;
  method: string;
  path: string;
  sourceIp: string | null;
  userAgent: string | null;
  latencyMs: number;
  region: string | null;
}

export interface UsageOverviewItem {
  keyId: string;
  name: string;
  owner: string | null;
  status: string;
  total: { allowed: number; refused: number };
  days: { date: string; allowed: number; refused: number }[];
  lastUsedAt: string | null;
  unusual: boolean;
  latest: number;
  baseline: number | null;
}

/** GET /v1/usage: one page of the overview, with the window's totals. */
export interface UsageOverview {
  window: { days: number; from: string; to: string };
  total: { allowed: number; refused: number; keys: number };
  series: { date: string; allowed: number; refused: number }[];
  thresholds: { factor: number; minRequests: number; minAgeDays: number };
  items: UsageOverviewItem[];
  nextCursor: string | null;
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

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  keyId?: string;
  role?: string;
  changes?: Record<string, { before: unknown; after: unknown }>;
  requestId: string;
}

export interface LifecycleEvent {
  id: string;
  time: string;
  source: string;
  detailType: string;
  detail: { keyId?: string; name?: string; owner?: string; actor?: string; [field: string]: unknown };
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
  dryRun: boolean;
  flagged: SweepEntry[];
  reminded: SweepEntry[];
  expiringSoon?: SweepEntry[];
  unused?: SweepEntry[];
  disabledUnused?: SweepEntry[];
  reconciled?: SweepEntry[];
  /** Keys whose requests on `day` jumped far above their baseline (see `latchkey usage`). */
  unusual?: SweepEntry[];
  failed?: number;
}

export interface VerifyResult {
  valid: boolean;
  code: string;
  key?: ApiKey;
  permissions?: string[];
}

export interface WhoAmI {
  actor: string;
  mode: 'local' | 'aws';
}

/** POST /v1/keys/bulk, a dry run. */
export interface BulkDryRun {
  dryRun: true;
  action: 'revoke' | 'disable';
  matched: number;
  sample: Pick<ApiKey, 'keyId' | 'name' | 'owner' | 'type' | 'status' | 'createdAt' | 'lastUsedAt'>[];
  confirm: string;
  confirmExpiresAt: string;
}

/** POST /v1/keys/bulk, a run: the whole run so far; `done: false` means call again. */
export interface BulkRun {
  dryRun: false;
  action: 'revoke' | 'disable';
  runId: string;
  affected: number;
  failed: { keyId: string; message: string }[];
  done: boolean;
}
