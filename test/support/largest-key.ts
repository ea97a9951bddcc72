import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { itemSizeBytes } from '../../functions/domain/keys/item-size.ts';
import { localClient } from '../../local/dynamodb-local.ts';
import type { Api } from './api.ts';

// The bench imports the client from here.
export { type Api, apiOf } from './api.ts';

/** Three UTF-8 bytes per UTF-16 unit: the most bytes a character limit lets through. */
const WIDE = '中';
const ipv6 = (i: number) => `ffff:ffff:ffff:ffff:ffff:ffff:ffff:${(0xf000 + i).toString(16)}/128`;
const pad = (prefix: string, length: number, fill = 'a') =>
  prefix + fill.repeat(Math.max(0, length - prefix.length));

/** Each PATCH field, grown by units up to its schema limit. */
const GROWERS: ReadonlyArray<{ field: string; max: number; value: (n: number) => unknown }> = [
  { field: 'name', max: 128, value: (n) => WIDE.repeat(Math.max(1, n)) },
  { field: 'description', max: 1024, value: (n) => WIDE.repeat(n) },
  {
    field: 'metadata',
    // Past its 1,500-byte share in wide characters (and within the API's 16 KB body).
    max: 600,
    value: (n) =>
      Object.fromEntries(
        Array.from({ length: Math.ceil(n / 512) }, (_, i) => [
          pad(`k${i}-`, 64),
          WIDE.repeat(Math.min(512, n - i * 512)),
        ]),
      ),
  },
  {
    field: 'permissions',
    max: 100,
    value: (n) => Array.from({ length: n }, (_, i) => pad(`p${i}:`, 128)),
  },
  { field: 'ipAllowlist', max: 50, value: (n) => Array.from({ length: n }, (_, i) => ipv6(i)) },
];

/** The largest n in [0, max] whose PATCH is accepted (set on the key when it returns). */
async function grow(api: Api, keyId: string, field: string, max: number, value: (n: number) => unknown) {
  const patch = (n: number) => api('PATCH', `/v1/keys/${keyId}`, { [field]: value(n) });
  let res = await patch(max);
  if (res.status === 200) return max;
  if (res.status !== 400) throw new Error(`PATCH ${field}: ${res.status} ${JSON.stringify(res.body)}`);
  let [lo, hi] = [0, max];
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    res = await patch(mid);
    if (res.status === 200) lo = mid;
    else hi = mid;
  }
  if (lo > 0 && (await patch(lo)).status !== 200) throw new Error(`PATCH ${field}: ${lo} refused`);
  return lo;
}

/**
 * The largest key the API accepts, built as a user would: a create with the create-only fields at
 * their limits (an owner of 512 characters, an organization scope with as many workspaces as its
 * share allows, 20 custom roles of 64 characters), then PATCHes growing each other field to the
 * most that is still accepted.
 */
export async function buildLargestKey(api: Api): Promise<{ keyId: string; grown: Record<string, number> }> {
  const roles = Array.from({ length: 20 }, (_, i) => pad(`r${i}-`, 64, 'r'));
  for (const name of roles) {
    const res = await api('POST', '/v1/roles', { name, permissions: ['orders:read'] });
    if (res.status !== 201 && res.status !== 409) throw new Error(`role ${name}: ${res.status}`);
  }
  const body = (workspaces: number) => ({
    owner: pad('o', 512),
    type: 'service',
    roles,
    scope: {
      organizationId: pad('org-', 128),
      workspaceIds: Array.from({ length: workspaces }, (_, i) => pad(`w${i}-`, 128)),
    },
  });
  let workspaces = 100;
  let created = await api('POST', '/v1/keys', body(workspaces));
  while (created.status === 400 && workspaces > 1) {
    workspaces--;
    created = await api('POST', '/v1/keys', body(workspaces));
  }
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const keyId = created.body.key.keyId as string;
  const grown: Record<string, number> = { workspaceIds: workspaces };
  for (const g of GROWERS) grown[g.field] = await grow(api, keyId, g.field, g.max, g.value);
  return { keyId, grown };
}

/** A key as most are made: the quick start's create with a description and one metadata entry. */
export async function createTypicalKey(api: Api): Promise<string> {
  const res = await api('POST', '/v1/keys', {
    name: 'CI/CD integration',
    description: 'Deploys the orders service from the CI pipeline',
    owner: 'team-orders',
    roles: ['read'],
    permissions: ['orders:write'],
    metadata: { team: 'orders' },
  });
  if (res.status !== 201) throw new Error(`create: ${res.status}`);
  return res.body.key.keyId;
}

/** The key's item as DynamoDB Local stores it: its size by AWS's rules and what one strongly consistent read cost. */
export async function measureKeyItem(
  service: { dynamoEndpoint: string; dynamoAccessKeyId: string; tables: { keys: string } },
  keyId: string,
) {
  const client = localClient(service.dynamoEndpoint, service.dynamoAccessKeyId);
  try {
    const out = await DynamoDBDocumentClient.from(client).send(
      new GetCommand({
        TableName: service.tables.keys,
        Key: { keyId },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    if (!out.Item) throw new Error(`key ${keyId} not stored`);
    return { bytes: itemSizeBytes(out.Item), readUnits: out.ConsumedCapacity?.CapacityUnits ?? Number.NaN };
  } finally {
    client.destroy();
  }
}
