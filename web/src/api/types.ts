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
  revokedAt?: string;
  rotationDueAt: string;
  rotationDue: boolean;
  rotatedFrom?: string;
  rotatedTo?: string;
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

export interface Usage {
  keyId: string;
  lastUsedAt: string | null;
  days: UsageDay[];
  total: { allowed: number; refused: number };
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
  dryRun: boolean;
  flagged: SweepEntry[];
  reminded: SweepEntry[];
  expiringSoon: SweepEntry[];
  reconciled: SweepEntry[];
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
}
