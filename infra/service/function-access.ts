import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { INDEX, TABLES, type TableId, USAGE_KEY_ATTRIBUTES } from '../../functions/store/tables.ts';
import type { LatchkeyFunction } from '../latchkey-function.ts';
import type { DeployedTableId, ServiceTables } from './tables.ts';

/** DynamoDB actions each function may take, per table, and what else it may touch. */
export interface Access {
  readonly tables: Partial<Record<TableId, readonly string[]>>;
  /** What `dynamodb:Query` may read, per table: `table` or index names. @default the table and all its indexes */
  readonly queries?: Partial<Record<TableId, readonly string[]>>;
  readonly pepper?: boolean;
  /** May write new pepper versions (rotate, retire). */
  readonly pepperWrite?: boolean;
  readonly events?: boolean;
  /** May set a key's last use (lastUsedAt, its address, agent and route) and a canary's trips, and no other attribute (an IAM condition). */
  readonly lastUsedAt?: boolean;
}

/** The handlers that run the rotation sweep. */
export const SWEEP_HANDLERS = ['rotation-sweep', 'sweep-scheduled'] as const;

const KEY_WRITE = {
  keys: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  owners: ['dynamodb:UpdateItem'],
  roles: ['dynamodb:UpdateItem'],
  audit: ['dynamodb:PutItem'],
} as const;

/**
 * The sweep, as POST /v1/rotation/sweep runs it (the schedule runs it too, and more: see
 * SCHEDULED_SWEEP). It reads only its three sparse indexes and the usage table's by-day index,
 * reads the keys it may flag by ID, and writes keys through transactions (UpdateItem on the table).
 */
const SWEEP = {
  tables: {
    keys: ['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem', 'dynamodb:GetItem'],
    owners: ['dynamodb:UpdateItem'],
    audit: ['dynamodb:PutItem'],
    usage: ['dynamodb:Query'],
  },
  queries: {
    keys: [INDEX.keysRotationSweep, INDEX.keysExpirySweep, INDEX.keysUnusedSweep],
    usage: [INDEX.usageByDay],
  },
  events: true,
} as const satisfies Access;

/**
 * The scheduled sweep also brings key items written before a new derived attribute in line
 * (store/key-migration.ts): a scan of the keys, a conditional update of each, and its progress
 * under a reserved name in the owners table. Only the schedule runs it.
 */
const SCHEDULED_SWEEP: Access = {
  ...SWEEP,
  tables: {
    ...SWEEP.tables,
    keys: [...SWEEP.tables.keys, 'dynamodb:Scan'],
    owners: [...SWEEP.tables.owners, 'dynamodb:GetItem', 'dynamodb:PutItem'],
  },
};

// What a key operation touches, named once: its management function and its portal function (which
// reads its session first) run the same key service call, so neither can fall behind the other.

/** A new key (made or imported): its item, its owner's and roles' counts, the audit entry; hashed under the pepper. */
const KEY_CREATE = {
  tables: {
    keys: ['dynamodb:PutItem'],
    owners: ['dynamodb:UpdateItem'],
    roles: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
    audit: ['dynamodb:PutItem'],
  },
  pepper: true,
  events: true,
} as const satisfies Access;

/** A key changed: written as any key write is, its new roles read and counted. */
const KEY_UPDATE = {
  tables: { ...KEY_WRITE, roles: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'] },
  events: true,
} as const satisfies Access;

const KEY_REVOKE = { tables: KEY_WRITE, events: true } as const satisfies Access;

const KEY_DELETE = {
  tables: { ...KEY_WRITE, keys: ['dynamodb:GetItem', 'dynamodb:DeleteItem'] },
  events: true,
} as const satisfies Access;

/** A key's usage days, the key read first (it must exist and, in the portal, be in the session's scope). */
const KEY_USAGE = {
  tables: { keys: ['dynamodb:GetItem'], usage: ['dynamodb:Query'] },
  queries: { usage: ['table'] },
} as const satisfies Access;

/**
 * A portal function: every request reads its session (one strongly consistent GetItem), then
 * does what its route does through the key service, as the matching management function does.
 */
const portal = (access: Access): Access => ({
  ...access,
  tables: { ...access.tables, sessions: ['dynamodb:GetItem', ...(access.tables.sessions ?? [])] },
});

/** Least privilege, function by function: exactly the calls its code makes. */
export const FUNCTION_ACCESS: Readonly<Record<string, Access>> = {
  'keys-create': KEY_CREATE,
  'keys-import': KEY_CREATE,
  // Per-version counts: the counter item, or a scan for a version from before counters.
  'pepper-list': { tables: { owners: ['dynamodb:GetItem'], keys: ['dynamodb:Scan'] }, pepper: true },
  'pepper-rotate': {
    tables: { owners: ['dynamodb:UpdateItem'], audit: ['dynamodb:PutItem'] },
    pepper: true,
    pepperWrite: true,
  },
  'pepper-retire': {
    tables: { owners: ['dynamodb:GetItem'], keys: ['dynamodb:Scan'], audit: ['dynamodb:PutItem'] },
    pepper: true,
    pepperWrite: true,
  },
  // Secrets Manager's rotation function: its rotation schedule adds the secret's write and staging.
  'pepper-rotation': { tables: { owners: ['dynamodb:UpdateItem'] }, pepper: true },
  'keys-list': { tables: { keys: ['dynamodb:Query'] } },
  // A key in a rotation's grace: the other key of the rotation, and the old key's usage days.
  'keys-get': {
    tables: { keys: ['dynamodb:GetItem'], usage: ['dynamodb:Query'] },
    queries: { usage: ['table'] },
  },
  // The kill switch: the keys through the owner, scope or status index, written as revoke does,
  // its runs in the idempotency table, confirm tokens signed under the pepper.
  'keys-bulk': {
    tables: {
      ...KEY_WRITE,
      keys: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
      idempotency: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    },
    queries: { keys: [INDEX.keysByOwner, INDEX.keysByScope, INDEX.keysByStatus] },
    pepper: true,
    events: true,
  },
  'keys-extend-grace': {
    tables: { keys: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], audit: ['dynamodb:PutItem'] },
  },
  // "API Key Still In Use": the sparse grace index, the key written before its event.
  'grace-check': {
    tables: {
      keys: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
      audit: ['dynamodb:PutItem'],
      usage: ['dynamodb:Query'],
    },
    queries: { keys: [INDEX.keysGraceCheck], usage: ['table'] },
    events: true,
  },
  // Public: fingerprints the strings under the pepper and invokes credentials-check (granted with it).
  'credentials-revoke': { tables: {}, pepper: true },
  // Reads each candidate by ID and revokes or disables as revoke does; a canary raises its event.
  'credentials-check': { tables: KEY_WRITE, events: true },
  'keys-update': KEY_UPDATE,
  'keys-revoke': KEY_REVOKE,
  'keys-delete': KEY_DELETE,
  'keys-rotate': {
    tables: {
      ...KEY_WRITE,
      keys: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
      idempotency: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      // The old key's requests so far that day: what its grace usage leaves out.
      usage: ['dynamodb:Query'],
    },
    queries: { usage: ['table'] },
    pepper: true,
    events: true,
  },
  'keys-usage': KEY_USAGE,
  'keys-requests': {
    tables: { keys: ['dynamodb:GetItem'], requests: ['dynamodb:Query'] },
    queries: { requests: ['table'] },
  },
  'usage-overview': {
    tables: { keys: ['dynamodb:BatchGetItem'], usage: ['dynamodb:Query'] },
    queries: { usage: [INDEX.usageByDay] },
  },
  // API Gateway (usage plans) is granted apart, by mode: USAGE_PLAN_ACCESS in usage-plans.ts.
  'keys-quota': { tables: { keys: ['dynamodb:GetItem'] } },
  'plans-list': { tables: {} },
  'audit-list': { tables: { audit: ['dynamodb:Query'] } },
  // Like the authorizer, verify only reads in AWS: its usage goes through its log (usage-ingest).
  // Events: a presented canary raises "API Key Canary Triggered".
  verify: {
    tables: { keys: ['dynamodb:GetItem'], roles: ['dynamodb:BatchGetItem'] },
    pepper: true,
    events: true,
  },
  'roles-list': { tables: { roles: ['dynamodb:Scan'] } },
  'roles-create': { tables: { roles: ['dynamodb:PutItem'], audit: ['dynamodb:PutItem'] } },
  'roles-get': { tables: { roles: ['dynamodb:GetItem'] } },
  'roles-put': {
    tables: { roles: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], audit: ['dynamodb:PutItem'] },
  },
  'roles-delete': {
    tables: { roles: ['dynamodb:GetItem', 'dynamodb:DeleteItem'], audit: ['dynamodb:PutItem'] },
  },
  // A leak report reads the key, checks the secret's HMAC, and revokes or disables it as revoke does.
  'leaks-github': { tables: KEY_WRITE, pepper: true, events: true },
  'leaks-report': { tables: KEY_WRITE, pepper: true, events: true },
  'rotation-sweep': SWEEP,
  'sweep-scheduled': SCHEDULED_SWEEP,
  healthz: { tables: { keys: ['dynamodb:GetItem'] } },
  // The compliance report reads every live key through the status index, and the pepper's current version.
  'reports-compliance': {
    tables: { keys: ['dynamodb:Query'] },
    queries: { keys: [INDEX.keysByStatus] },
    pepper: true,
  },
  whoami: { tables: {} },
  openapi: { tables: {} },
  // The authorizer only reads; usage reaches the tables through its log (usage-ingest).
  authorizer: {
    tables: { keys: ['dynamodb:GetItem'], roles: ['dynamodb:BatchGetItem'] },
    pepper: true,
    events: true,
  },
  // Each key's day is read, merged and written back; its newest requests are one new item per batch.
  // With the verification log on, the construct grants its Firehose stream apart (verification-log.ts).
  'usage-ingest': {
    tables: { usage: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], requests: ['dynamodb:PutItem'] },
    lastUsedAt: true,
  },
  // An operator makes a portal link (its roles must exist) or ends a session; each is audited.
  'portal-sessions-create': {
    tables: { sessions: ['dynamodb:PutItem'], roles: ['dynamodb:BatchGetItem'], audit: ['dynamodb:PutItem'] },
  },
  'portal-sessions-delete': { tables: { sessions: ['dynamodb:DeleteItem'], audit: ['dynamodb:PutItem'] } },
  // The landing reads the session and exchanges its code for a token (a conditional update), audited.
  'portal-enter': portal({ tables: { sessions: ['dynamodb:UpdateItem'], audit: ['dynamodb:PutItem'] } }),
  'portal-session': portal({ tables: {} }),
  'portal-logout': portal({ tables: { sessions: ['dynamodb:DeleteItem'], audit: ['dynamodb:PutItem'] } }),
  // Listing reads the scope index only, never the table.
  'portal-keys-list': portal({
    tables: { keys: ['dynamodb:Query'] },
    queries: { keys: [INDEX.keysByScope] },
  }),
  'portal-keys-get': portal({ tables: { keys: ['dynamodb:GetItem'] } }),
  'portal-keys-create': portal(KEY_CREATE),
  'portal-keys-update': portal(KEY_UPDATE),
  'portal-keys-revoke': portal(KEY_REVOKE),
  'portal-keys-delete': portal(KEY_DELETE),
  // As keys-rotate: the old key's requests so far that day, what its grace usage leaves out.
  'portal-keys-rotate': portal({
    tables: {
      ...KEY_WRITE,
      keys: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
      usage: ['dynamodb:Query'],
    },
    queries: { usage: ['table'] },
    pepper: true,
    events: true,
  }),
  'portal-keys-usage': portal(KEY_USAGE),
};

/** What a function's access rules are granted on. */
export interface AccessTargets {
  readonly tables: ServiceTables;
  readonly pepper: ISecret;
  readonly bus: IEventBus;
}

/** Grants `fn` exactly its entry in `FUNCTION_ACCESS`: per-table actions, named indexes, pepper, events. */
export function grantFunctionAccess(fn: LatchkeyFunction, handler: string, targets: AccessTargets): void {
  const access = FUNCTION_ACCESS[handler];
  if (!access) throw new Error(`ApiKeyService: no access rules for handler "${handler}"`);
  const { tables } = targets;
  for (const [tableId, actions = []] of Object.entries(access.tables)) {
    const table = tables[tableId as DeployedTableId];
    const itemActions = actions.filter((action) => action !== 'dynamodb:Query');
    if (itemActions.length)
      fn.addToRolePolicy(new PolicyStatement({ actions: itemActions, resources: [table.tableArn] }));
    if (actions.includes('dynamodb:Query'))
      fn.addToRolePolicy(queryStatement(handler, table, tableId as TableId, access));
  }
  if (access.lastUsedAt) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [tables.keys.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...USAGE_KEY_ATTRIBUTES] } },
      }),
    );
  }
  if (access.pepper) targets.pepper.grantRead(fn);
  if (access.pepperWrite) targets.pepper.grantWrite(fn);
  if (access.events) targets.bus.grantPutEventsTo(fn);
}

/** The roles of the functions in `functions` (by handler) whose access rules let them publish events. */
export function publishingRoles(functions: Readonly<Record<string, LatchkeyFunction>>): IRole[] {
  return Object.entries(functions).flatMap(([handler, fn]) =>
    FUNCTION_ACCESS[handler]?.events && fn.role ? [fn.role] : [],
  );
}

/** Queries name the table or each index the code reads; nothing is wildcarded. */
function queryStatement(handler: string, table: TableV2, tableId: TableId, access: Access) {
  const known = ['table', ...TABLES[tableId].indexes.map((index) => index.name)];
  const read = access.queries?.[tableId] ?? known;
  const unknown = read.filter((name) => !known.includes(name));
  if (unknown.length)
    throw new Error(`ApiKeyService: ${handler} queries unknown indexes of ${tableId}: ${unknown.join(', ')}`);
  return new PolicyStatement({
    actions: ['dynamodb:Query'],
    resources: read.map((name) => (name === 'table' ? table.tableArn : `${table.tableArn}/index/${name}`)),
  });
}
