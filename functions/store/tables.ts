/**
 * Table and index layouts, in one place. The CDK construct and the local server both build their
 * tables from this, so the deployed and local schemas cannot drift. No AWS imports: plain data.
 */
export interface IndexDef {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** Non-key attributes the index carries (an INCLUDE projection); every attribute when absent. */
  readonly include?: readonly string[];
}

export interface TableDef {
  /** Suffix of the table name; the env var LATCHKEY_<ID>_TABLE carries the real name. */
  readonly id: TableId;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly ttlAttribute?: string;
  readonly indexes: readonly IndexDef[];
  /** Tables only the local server has (what EventBridge holds in AWS). */
  readonly localOnly?: boolean;
}

export type TableId =
  | 'keys'
  | 'owners'
  | 'audit'
  | 'usage'
  | 'requests'
  | 'roles'
  | 'idempotency'
  | 'events'
  | 'sessions';

/** The env var that carries a table's real name: the one definition the construct, the functions and the local server share. */
export const tableEnvVar = (id: TableId) =>
  `LATCHKEY_${id.toUpperCase()}_TABLE` as `LATCHKEY_${Uppercase<TableId>}_TABLE`;

/**
 * The key attributes usage counting writes (`touch` and `trip` in dynamo-usage.ts): all that
 * usage-ingest may set on a key in AWS (an IAM condition).
 */
export const USAGE_KEY_ATTRIBUTES = [
  'keyId',
  'lastUsedAt',
  'lastUsedIp',
  'lastUsedAgent',
  'lastUsedRoute',
  'tripCount',
  'firstTrippedAt',
  'lastTrippedAt',
  'lastTripSourceIp',
  'lastTripRoute',
] as const;

export const INDEX = {
  keysByOwner: 'byOwner',
  keysByStatus: 'byStatus',
  /** Every key of one workspace (`ws#<id>`) or organization (`org#<id>`): what a portal session lists. */
  keysByScope: 'byScope',
  /** Sparse: only active keys that are not yet flagged, or are waiting for their next reminder. */
  keysRotationSweep: 'rotationSweep',
  /** Sparse: only keys that have an expiry and still hold an owner slot or await an expiry notice. */
  keysExpirySweep: 'expirySweep',
  /** Sparse: only active keys, by when the sweep next looks at them for unused-ness. */
  keysUnusedSweep: 'unusedSweep',
  /** Sparse: only superseded keys in their grace whose "still in use" check has not run, by when it runs. */
  keysGraceCheck: 'graceCheck',
  auditByActor: 'byActor',
  auditByTime: 'byTime',
  /** Every key's usage row of one UTC day: what the usage overview reads instead of scanning. */
  usageByDay: 'byDay',
} as const;

export const TABLES: Record<TableId, TableDef> = {
  keys: {
    id: 'keys',
    partitionKey: 'keyId',
    ttlAttribute: 'ttl',
    indexes: [
      { name: INDEX.keysByOwner, partitionKey: 'owner', sortKey: 'createdAt' },
      { name: INDEX.keysByStatus, partitionKey: 'status', sortKey: 'createdAt' },
      { name: INDEX.keysByScope, partitionKey: 'scopeKey', sortKey: 'createdAt' },
      { name: INDEX.keysRotationSweep, partitionKey: 'rotationShard', sortKey: 'rotationSweepAt' },
      { name: INDEX.keysExpirySweep, partitionKey: 'expiryShard', sortKey: 'expirySweepAt' },
      { name: INDEX.keysUnusedSweep, partitionKey: 'unusedShard', sortKey: 'unusedSweepAt' },
      { name: INDEX.keysGraceCheck, partitionKey: 'graceShard', sortKey: 'graceCheckAt' },
    ],
  },
  owners: { id: 'owners', partitionKey: 'owner', indexes: [] },
  audit: {
    id: 'audit',
    partitionKey: 'subject',
    sortKey: 'sk',
    ttlAttribute: 'ttl',
    indexes: [
      { name: INDEX.auditByActor, partitionKey: 'actor', sortKey: 'sk' },
      { name: INDEX.auditByTime, partitionKey: 'stream', sortKey: 'sk' },
    ],
  },
  usage: {
    id: 'usage',
    partitionKey: 'keyId',
    sortKey: 'day',
    ttlAttribute: 'ttl',
    indexes: [
      { name: INDEX.usageByDay, partitionKey: 'day', sortKey: 'keyId', include: ['allowed', 'refused'] },
    ],
  },
  /** A key's recent requests: one item per counting batch (its newest requests), gone by TTL after 7 days. */
  requests: { id: 'requests', partitionKey: 'keyId', sortKey: 'sk', ttlAttribute: 'ttl', indexes: [] },
  roles: { id: 'roles', partitionKey: 'name', indexes: [] },
  idempotency: { id: 'idempotency', partitionKey: 'id', ttlAttribute: 'expiration', indexes: [] },
  /** Portal sessions: one item each, gone by TTL when the session ends. */
  sessions: { id: 'sessions', partitionKey: 'sessionId', ttlAttribute: 'ttl', indexes: [] },
  events: {
    id: 'events',
    partitionKey: 'stream',
    sortKey: 'sk',
    ttlAttribute: 'ttl',
    indexes: [],
    localOnly: true,
  },
};

/** Every attribute used in a key schema is a string. */
export function keyAttributes(def: TableDef): string[] {
  const names = new Set<string>([def.partitionKey]);
  if (def.sortKey) names.add(def.sortKey);
  for (const index of def.indexes) {
    names.add(index.partitionKey);
    if (index.sortKey) names.add(index.sortKey);
  }
  return [...names];
}
