import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudWatchLogsEvent, ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { HANDLER_MODULES } from '../../functions/handler-modules.ts';
import type { HandlerName } from '../../functions/routes.ts';
import { MANAGEMENT_ROUTES } from '../../functions/routes.ts';
import { INDEX, type TableId } from '../../functions/store/tables.ts';
import { LatchkeyStack } from '../../infra/latchkey-stack.ts';
import { requestEvent } from '../support/authorizer-events.ts';
import { storedKey } from '../support/fixtures.ts';
import { signedHeaders, signingKey } from '../support/github-keys.ts';
import { context, restEvent, useLambdaEnv } from '../support/lambda.ts';
import { type RecordedCall, recordCommands } from '../support/recorded-commands.ts';

/**
 * Each function's IAM policy, checked against what its code really sends: every handler runs on a
 * representative request against recording fakes, and each DynamoDB call it made (transactions
 * item by item, queries with their index) must be granted to that function in the template.
 */

// As deployed: usage through the log, events to EventBridge (no local events table), metrics on.
useLambdaEnv({
  LATCHKEY_USAGE_SOURCE: 'logs',
  LATCHKEY_EVENT_BUS_NAME: 'default',
  POWERTOOLS_METRICS_DISABLED: 'false',
  LATCHKEY_LEAK_KEYS_URL: 'https://keys.example.test/meta/public_keys/secret_scanning',
});
delete process.env.LATCHKEY_EVENTS_TABLE;

const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'p'.repeat(40) }));
const role = {
  name: 'reporting',
  description: 'reports',
  permissions: ['api:read'],
  keyCount: 0,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
// Due for rotation, with a custom role, so the sweep and the role reads have work to do.
const key = storedKey(peppers, { roles: ['reporting'], rotationDueAt: '2026-02-01T00:00:00.000Z' });
const { keyId } = key.record;

const recorder = recordCommands((call, input) => {
  switch (call.action) {
    case 'dynamodb:GetItem':
      if (call.table === 'keys') return { Item: key.record };
      if (call.table === 'roles') return { Item: role };
      return {};
    case 'dynamodb:BatchGetItem':
      return {
        Responses: {
          [String(Object.keys(input.RequestItems as object)[0])]: [call.table === 'keys' ? key.record : role],
        },
      };
    case 'dynamodb:Query':
      if (call.table === 'keys') return { Items: [key.record], ScannedCount: 1 };
      // Today's usage of the key jumps from nothing: the overview and the sweep read and flag it.
      if (call.table === 'usage' && call.index === INDEX.usageByDay) {
        const day = (input.ExpressionAttributeValues as Record<string, string>)[':day'];
        if (day === new Date().toISOString().slice(0, 10))
          return { Items: [{ keyId, day, allowed: 900, refused: 100 }], ScannedCount: 1 };
      }
      return { Items: [], ScannedCount: 0 };
    case 'dynamodb:Scan':
      return { Items: [role] };
    default:
      return {};
  }
});
afterAll(() => recorder.restore());

/** Runs `work` and returns what it wrote to stdout, line by line (the function's log). */
async function logOf(work: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

const load = async (handler: string) =>
  // biome-ignore lint/suspicious/noExplicitAny: each handler has its own event type
  (await HANDLER_MODULES[handler as HandlerName]()).handler as (event: any, ctx?: any) => Promise<any>;

const api = async (handler: string, event: ReturnType<typeof restEvent>) => {
  const res = await (await load(handler))(event, context());
  expect(res.statusCode, `${handler}: ${res.body}`).toBeLessThan(300);
};

const authorizerCheck = () =>
  requestEvent({ method: 'GET', path: '/reports/1', headers: { authorization: `Bearer ${key.secret}` } });

/** A representative request for every function the stack deploys. */
const SCENARIOS: Record<string, () => Promise<unknown>> = {
  'keys-create': () =>
    api(
      'keys-create',
      restEvent('POST', '/v1/keys', {
        body: { owner: 'alice', scope: { workspaceId: 'w' }, roles: ['reporting'] },
      }),
    ),
  'keys-list': () => api('keys-list', restEvent('GET', '/v1/keys', { query: { owner: 'team-orders' } })),
  'keys-get': () => api('keys-get', restEvent('GET', '/v1/keys/{keyId}', { path: { keyId } })),
  'keys-update': () =>
    api(
      'keys-update',
      restEvent('PATCH', '/v1/keys/{keyId}', { path: { keyId }, body: { name: 'n', roles: ['read'] } }),
    ),
  'keys-revoke': () =>
    api('keys-revoke', restEvent('POST', '/v1/keys/{keyId}/revoke', { path: { keyId }, body: {} })),
  'keys-delete': () => api('keys-delete', restEvent('DELETE', '/v1/keys/{keyId}', { path: { keyId } })),
  'keys-rotate': () =>
    api(
      'keys-rotate',
      restEvent('POST', '/v1/keys/{keyId}/rotate', {
        path: { keyId },
        body: { gracePeriodSeconds: 60 },
        headers: { 'Idempotency-Key': 'rotate-once' },
      }),
    ),
  'keys-usage': () => api('keys-usage', restEvent('GET', '/v1/keys/{keyId}/usage', { path: { keyId } })),
  'usage-overview': () => api('usage-overview', restEvent('GET', '/v1/usage', { query: { days: '30' } })),
  'keys-quota': () => api('keys-quota', restEvent('GET', '/v1/keys/{keyId}/quota', { path: { keyId } })),
  'plans-list': () => api('plans-list', restEvent('GET', '/v1/plans')),
  'audit-list': () => api('audit-list', restEvent('GET', '/v1/audit', { query: { keyId } })),
  verify: () => api('verify', restEvent('POST', '/v1/verify', { body: { key: key.secret } })),
  'roles-list': () => api('roles-list', restEvent('GET', '/v1/roles')),
  'roles-create': () =>
    api(
      'roles-create',
      restEvent('POST', '/v1/roles', { body: { name: 'billing', permissions: ['billing:read'] } }),
    ),
  'roles-get': () => api('roles-get', restEvent('GET', '/v1/roles/{name}', { path: { name: 'reporting' } })),
  'roles-put': () =>
    api(
      'roles-put',
      restEvent('PUT', '/v1/roles/{name}', { path: { name: 'reporting' }, body: { permissions: ['a:b'] } }),
    ),
  'roles-delete': () =>
    api('roles-delete', restEvent('DELETE', '/v1/roles/{name}', { path: { name: 'reporting' } })),
  'rotation-sweep': () => api('rotation-sweep', restEvent('POST', '/v1/rotation/sweep', { body: {} })),
  whoami: () => api('whoami', restEvent('GET', '/v1/whoami')),
  openapi: () => api('openapi', restEvent('GET', '/v1/openapi.json')),
  'leaks-report': () =>
    api('leaks-report', restEvent('POST', '/v1/leaks', { body: { secret: key.secret, url: 'https://x' } })),
  'leaks-github': async () => {
    // GitHub's key list, from a stand-in fetch: the function's one call that is not AWS.
    const signer = signingKey();
    const list = { public_keys: [{ key_identifier: signer.identifier, key: signer.publicPem }] };
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(list)));
    const report = [{ token: key.secret, type: 'latchkey', url: 'https://x', source: 'content' }];
    try {
      await api(
        'leaks-github',
        restEvent('POST', '/v1/leaks/github', {
          body: report,
          headers: signedHeaders(JSON.stringify(report), signer),
        }),
      );
    } finally {
      vi.unstubAllGlobals();
    }
  },
  'reports-compliance': () =>
    api('reports-compliance', restEvent('GET', '/v1/reports/compliance', { query: { format: 'csv' } })),
  'keys-import': () =>
    api(
      'keys-import',
      restEvent('POST', '/v1/keys/import', {
        body: { keys: [{ secret: 'g'.repeat(40), owner: 'alice', roles: ['reporting'] }] },
      }),
    ),
  'pepper-list': () => api('pepper-list', restEvent('GET', '/v1/pepper')),
  'pepper-rotate': () => api('pepper-rotate', restEvent('POST', '/v1/pepper/rotate')),
  'pepper-retire': () => {
    // A version to retire, as a rotation leaves it (written directly: the rotation is not this function's call).
    const file = process.env.LATCHKEY_PEPPER_FILE as string;
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(
      file,
      JSON.stringify({
        ...doc,
        version: '9',
        pepper: 'q'.repeat(40),
        previous: { ...doc.previous, [doc.version]: doc.pepper },
      }),
    );
    return api(
      'pepper-retire',
      restEvent('POST', '/v1/pepper/versions/{version}/retire', { path: { version: doc.version } }),
    );
  },
  'pepper-rotation': async () => {
    const secrets = mockClient(SecretsManagerClient);
    try {
      secrets
        .on(DescribeSecretCommand)
        .resolves({ VersionIdsToStages: { next: ['AWSPENDING'], now: ['AWSCURRENT'] } });
      secrets
        .on(GetSecretValueCommand, { SecretId: 'pepper', VersionStage: 'AWSCURRENT' })
        .resolves({ SecretString: JSON.stringify({ version: '1', pepper: 'p'.repeat(40) }) });
      secrets
        .on(GetSecretValueCommand, { SecretId: 'pepper', VersionId: 'next', VersionStage: 'AWSPENDING' })
        .rejects(new ResourceNotFoundException({ message: 'no pending version', $metadata: {} }));
      secrets.on(PutSecretValueCommand).resolves({});
      await (await load('pepper-rotation'))({
        Step: 'createSecret',
        SecretId: 'pepper',
        ClientRequestToken: 'next',
      });
      expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(1);
    } finally {
      secrets.restore();
    }
  },
  healthz: () => api('healthz', restEvent('GET', '/healthz')),
  authorizer: async () => (await load('authorizer'))(authorizerCheck()).catch(() => undefined),
  'sweep-scheduled': async () => {
    const scheduled: ScheduledEvent = {
      version: '0',
      id: 'scheduled-1',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: new Date().toISOString(),
      region: 'eu-west-1',
      resources: ['arn:aws:events:eu-west-1:123456789012:rule/SweepSchedule'],
      detail: {},
    };
    await (await load('sweep-scheduled'))(scheduled, context());
  },
  'usage-ingest': async () => {
    // What the authorizer's log subscription delivers: its per-check lines.
    const authorizer = await load('authorizer');
    const lines = await logOf(() => authorizer(authorizerCheck()).catch(() => undefined));
    const data = {
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/aws/lambda/authorizer',
      logStream: 'stream',
      subscriptionFilters: ['usage'],
      logEvents: lines.map((message, i) => ({ id: String(i), timestamp: Date.now(), message })),
    };
    recorder.clear();
    const event: CloudWatchLogsEvent = {
      awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') },
    };
    await (await load('usage-ingest'))(event);
  },
};

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation is inspected freely
type Resources = Record<string, { Properties: Record<string, any> }>;
// biome-ignore lint/suspicious/noExplicitAny: policy statements are inspected freely
type Statement = Record<string, any>;

let template: Template;

beforeAll(async () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new LatchkeyStack(app, 'Latchkey', { env: { account: '123456789012', region: 'eu-west-1' } });
  template = Template.fromStack(stack);
}, 60_000);

const toId = (handler: string) =>
  handler
    .split('-')
    .map((p) => `${p[0]?.toUpperCase()}${p.slice(1)}`)
    .join('');
const list = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);
const json = (value: unknown) => JSON.stringify(value);

function statementsOf(handler: string): Statement[] {
  const functions = template.findResources('AWS::Lambda::Function') as Resources;
  const matching = Object.entries(functions).filter(([id]) =>
    new RegExp(`^ApiKeys${toId(handler)}[0-9A-F]{8}$`).test(id),
  );
  expect(matching, handler).toHaveLength(1);
  const role = matching[0]?.[1].Properties.Role['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies)
    .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

function tableArn(table: TableId) {
  const tables = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'));
  const id = tables.find((t) => t.startsWith(`ApiKeys${toId(table)}Table`));
  expect(id, table).toMatch(/Table/);
  return { 'Fn::GetAtt': [id, 'Arn'] };
}

/**
 * Whether `statement` allows `call`: its action, on the table's ARN or the index's, and, where the
 * statement limits the attributes, only those.
 */
function allows(statement: Statement, call: RecordedCall): boolean {
  if (statement.Effect !== 'Allow' || !list(statement.Action).includes(call.action)) return false;
  if (statement.Condition) {
    const allowed: string[] | undefined =
      statement.Condition['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
    if (!allowed || Object.keys(statement.Condition).length !== 1) return false;
    if (!call.attributes?.every((name) => allowed.includes(name))) return false;
  }
  if (!call.table) return true;
  const arn = tableArn(call.table);
  const wanted = call.index ? { 'Fn::Join': ['', [arn, `/index/${call.index}`]] } : arn;
  return list(statement.Resource).some((resource) => json(resource) === json(wanted));
}

describe('each function is granted every DynamoDB call its code makes', () => {
  it('covers every function the stack deploys: each management route, healthz, the authorizer, the sweep and usage-ingest', () => {
    const routes = MANAGEMENT_ROUTES.filter((r) => !r.localOnly).map((r) => r.handler);
    const expected = [
      ...new Set([...routes, 'healthz', 'authorizer', 'sweep-scheduled', 'usage-ingest', 'pepper-rotation']),
    ].sort();
    expect(Object.keys(SCENARIOS).sort()).toEqual(expected);
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toHaveLength(expected.length);
  });

  it.each(Object.keys(SCENARIOS))('%s', async (handler) => {
    recorder.clear();
    let failure: unknown;
    const log = await logOf(() =>
      (SCENARIOS[handler] as () => Promise<unknown>)().catch((error) => (failure = error)),
    );
    expect(failure, log.filter((line) => /"level":"(ERROR|WARN)"/.test(line)).join('\n')).toBeUndefined();
    const calls = [...recorder.calls];
    if (!['whoami', 'plans-list', 'openapi'].includes(handler))
      expect(calls.length, `${handler} made no AWS call: the scenario did not run`).toBeGreaterThan(0);
    const statements = statementsOf(handler);
    const missing = calls.filter((call) => !statements.some((statement) => allows(statement, call)));
    expect(missing, `${handler} sends calls its role does not allow`).toEqual([]);
  });
});
