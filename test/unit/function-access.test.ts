import { readFileSync, writeFileSync } from 'node:fs';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { candidatesOf } from '#domain/leak/public-report.ts';
import { MANAGEMENT_ROUTES, PORTAL_ROUTES } from '../../functions/routes.ts';
import { INDEX } from '../../functions/store/tables.ts';
import { requestEvent } from '../support/authorizer-events.ts';
import { storedKey } from '../support/fixtures.ts';
import { signedHeaders, signingKey } from '../support/github-keys.ts';
import {
  callOk,
  context,
  loadHandler,
  logOf,
  logSubscriptionEvent,
  restEvent,
  scheduledEvent,
  useLambdaEnv,
} from '../support/lambda.ts';
import { portalSessionItem } from '../support/portal-session.ts';
import { type RecordedCall, recordCommands } from '../support/recorded-commands.ts';
import {
  latchkeyFunctions,
  latchkeyStack,
  list,
  type Statement,
  statementsOf,
  tableArn,
  testApp,
} from '../support/stack.ts';

/**
 * Each function's IAM policy, checked against what its code really sends: every handler runs on a
 * representative request against recording fakes, and each DynamoDB call it made (transactions
 * item by item, queries with their index) must be granted to that function in the template.
 */

// As deployed: usage through the log, events to EventBridge (no local events table), metrics on.
const PORTAL_URL = 'https://portal.example.test';
useLambdaEnv({
  LATCHKEY_USAGE_SOURCE: 'logs',
  LATCHKEY_EVENT_BUS_NAME: 'default',
  POWERTOOLS_METRICS_DISABLED: 'false',
  LATCHKEY_LEAK_KEYS_URL: 'https://keys.example.test/meta/public_keys/secret_scanning',
  LATCHKEY_PORTAL_URL: PORTAL_URL,
  LATCHKEY_REPORT_WORKER: 'latchkey-credentials-check',
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

// A portal session over the key's workspace, its link opened: the cookie is its token.
const portal = portalSessionItem(key.record.scope, PORTAL_URL);
const { sessionId } = portal;
/** What the sessions table answers a read with: a link not yet opened for the landing, else an opened one. */
let session: Record<string, unknown> = portal.opened;

/** A scenario's own answers, asked first (a key in its grace, say). */
let answer: ((call: RecordedCall) => unknown) | undefined;
const recorder = recordCommands((call, input) => {
  const own = answer?.(call);
  if (own !== undefined) return own;
  switch (call.action) {
    case 'dynamodb:GetItem':
      if (call.table === 'keys') return { Item: key.record };
      if (call.table === 'roles') return { Item: role };
      if (call.table === 'sessions') return { Item: session };
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
      // The keys scan is the scheduled sweep's migration pass: a key written before the scope index.
      return { Items: [call.table === 'keys' ? key.record : role] };
    default:
      return {};
  }
});
afterAll(() => recorder.restore());

const authorizerCheck = () =>
  requestEvent({ method: 'GET', path: '/reports/1', headers: { authorization: `Bearer ${key.secret}` } });

/** A representative request for every function the stack deploys. */
const SCENARIOS: Record<string, () => Promise<unknown>> = {
  'keys-create': () =>
    callOk(
      'keys-create',
      restEvent('POST', '/v1/keys', {
        body: { owner: 'alice', scope: { workspaceId: 'w' }, roles: ['reporting'] },
      }),
    ),
  'keys-list': () => callOk('keys-list', restEvent('GET', '/v1/keys', { query: { owner: 'team-orders' } })),
  'keys-get': () => callOk('keys-get', restEvent('GET', '/v1/keys/{keyId}', { path: { keyId } })),
  'keys-update': () =>
    callOk(
      'keys-update',
      restEvent('PATCH', '/v1/keys/{keyId}', { path: { keyId }, body: { name: 'n', roles: ['read'] } }),
    ),
  'keys-revoke': () =>
    callOk('keys-revoke', restEvent('POST', '/v1/keys/{keyId}/revoke', { path: { keyId }, body: {} })),
  'keys-delete': () => callOk('keys-delete', restEvent('DELETE', '/v1/keys/{keyId}', { path: { keyId } })),
  'keys-rotate': () =>
    callOk(
      'keys-rotate',
      restEvent('POST', '/v1/keys/{keyId}/rotate', {
        path: { keyId },
        body: { gracePeriodSeconds: 60 },
        headers: { 'Idempotency-Key': 'rotate-once' },
      }),
    ),
  'keys-bulk': async () => {
    const dry = await (await loadHandler('keys-bulk'))(
      restEvent('POST', '/v1/keys/bulk', {
        body: { filter: { owner: 'team-orders' }, action: 'revoke', dryRun: true },
      }),
      context(),
    );
    expect(dry.statusCode, dry.body).toBe(200);
    const { confirm } = JSON.parse(dry.body);
    for (const filter of [{ owner: 'team-orders' }, { workspaceId: 'ws-1' }, { role: 'read' }]) {
      const body = { filter, action: 'revoke', dryRun: true };
      await callOk('keys-bulk', restEvent('POST', '/v1/keys/bulk', { body }));
    }
    await callOk(
      'keys-bulk',
      restEvent('POST', '/v1/keys/bulk', {
        body: { filter: { owner: 'team-orders' }, action: 'revoke', dryRun: false, confirm },
      }),
    );
  },
  'keys-extend-grace': async () => {
    // A superseded key in its grace: what extend-grace acts on.
    const old = {
      ...key.record,
      rotatedTo: 'key_0000000000000000000000',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      graceFrom: new Date().toISOString(),
    };
    answer = (call) =>
      call.action === 'dynamodb:GetItem' && call.table === 'keys' ? { Item: old } : undefined;
    try {
      await callOk(
        'keys-extend-grace',
        restEvent('POST', '/v1/keys/{keyId}/extend-grace', { path: { keyId }, body: { seconds: 60 } }),
      );
    } finally {
      answer = undefined;
    }
  },
  'grace-check': async () => {
    const due = {
      ...key.record,
      rotatedTo: 'key_0000000000000000000000',
      expiresAt: new Date(Date.now() + 1_800_000).toISOString(),
      graceFrom: new Date(Date.now() - 3_600_000).toISOString(),
      graceCheckAt: new Date().toISOString(),
      lastUsedAt: new Date().toISOString(),
    };
    answer = (call) =>
      call.action === 'dynamodb:Query' && call.table === 'keys'
        ? { Items: [due], ScannedCount: 1 }
        : undefined;
    try {
      await (await loadHandler('grace-check'))(scheduledEvent(), context());
    } finally {
      answer = undefined;
    }
  },
  'credentials-revoke': () =>
    callOk(
      'credentials-revoke',
      restEvent('POST', '/v1/credentials/revoke', { body: { credentials: [key.secret, 'garbage'] } }),
    ),
  // What credentials-revoke hands it: the reported secret's fingerprint.
  'credentials-check': async () =>
    (await loadHandler('credentials-check'))(
      { candidates: candidatesOf([key.secret], peppers), sighting: { sourceIp: '203.0.113.9' } },
      context(),
    ),
  'keys-usage': () => callOk('keys-usage', restEvent('GET', '/v1/keys/{keyId}/usage', { path: { keyId } })),
  'keys-requests': () =>
    callOk(
      'keys-requests',
      restEvent('GET', '/v1/keys/{keyId}/requests', { path: { keyId }, query: { limit: '10' } }),
    ),
  'usage-overview': () => callOk('usage-overview', restEvent('GET', '/v1/usage', { query: { days: '30' } })),
  'keys-quota': () => callOk('keys-quota', restEvent('GET', '/v1/keys/{keyId}/quota', { path: { keyId } })),
  'plans-list': () => callOk('plans-list', restEvent('GET', '/v1/plans')),
  'audit-list': () => callOk('audit-list', restEvent('GET', '/v1/audit', { query: { keyId } })),
  verify: () => callOk('verify', restEvent('POST', '/v1/verify', { body: { key: key.secret } })),
  'roles-list': () => callOk('roles-list', restEvent('GET', '/v1/roles')),
  'roles-create': () =>
    callOk(
      'roles-create',
      restEvent('POST', '/v1/roles', { body: { name: 'billing', permissions: ['billing:read'] } }),
    ),
  'roles-get': () =>
    callOk('roles-get', restEvent('GET', '/v1/roles/{name}', { path: { name: 'reporting' } })),
  'roles-put': () =>
    callOk(
      'roles-put',
      restEvent('PUT', '/v1/roles/{name}', { path: { name: 'reporting' }, body: { permissions: ['a:b'] } }),
    ),
  'roles-delete': () =>
    callOk('roles-delete', restEvent('DELETE', '/v1/roles/{name}', { path: { name: 'reporting' } })),
  'rotation-sweep': () => callOk('rotation-sweep', restEvent('POST', '/v1/rotation/sweep', { body: {} })),
  whoami: () => callOk('whoami', restEvent('GET', '/v1/whoami')),
  openapi: () => callOk('openapi', restEvent('GET', '/v1/openapi.json')),
  'leaks-report': () =>
    callOk(
      'leaks-report',
      restEvent('POST', '/v1/leaks', { body: { secret: key.secret, url: 'https://x' } }),
    ),
  'leaks-github': async () => {
    // GitHub's key list, from a stand-in fetch: the function's one call that is not AWS.
    const signer = signingKey();
    const list = { public_keys: [{ key_identifier: signer.identifier, key: signer.publicPem }] };
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(list)));
    const report = [{ token: key.secret, type: 'latchkey', url: 'https://x', source: 'content' }];
    try {
      await callOk(
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
    callOk('reports-compliance', restEvent('GET', '/v1/reports/compliance', { query: { format: 'csv' } })),
  'keys-import': () =>
    callOk(
      'keys-import',
      restEvent('POST', '/v1/keys/import', {
        body: { keys: [{ secret: 'g'.repeat(40), owner: 'alice', roles: ['reporting'] }] },
      }),
    ),
  'pepper-list': () => callOk('pepper-list', restEvent('GET', '/v1/pepper')),
  'pepper-rotate': () => callOk('pepper-rotate', restEvent('POST', '/v1/pepper/rotate')),
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
    return callOk(
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
      await (await loadHandler('pepper-rotation'))({
        Step: 'createSecret',
        SecretId: 'pepper',
        ClientRequestToken: 'next',
      });
      expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(1);
    } finally {
      secrets.restore();
    }
  },
  healthz: () => callOk('healthz', restEvent('GET', '/healthz')),
  authorizer: async () => (await loadHandler('authorizer'))(authorizerCheck()).catch(() => undefined),
  'portal-sessions-create': () =>
    callOk(
      'portal-sessions-create',
      restEvent('POST', '/v1/portal/sessions', {
        body: { subject: 'alice', scope: { workspaceId: 'ws-1' }, roles: ['read', 'reporting'] },
      }),
    ),
  'portal-sessions-delete': () =>
    callOk(
      'portal-sessions-delete',
      restEvent('DELETE', '/v1/portal/sessions/{sessionId}', { path: { sessionId } }),
    ),
  'portal-enter': async () => {
    session = portal.unopened;
    try {
      const res = await (await loadHandler('portal-enter'))(
        restEvent('GET', '/portal/enter', { query: { code: portal.code } }),
        context(),
      );
      expect(res.statusCode, res.body).toBe(303);
    } finally {
      session = portal.opened;
    }
  },
  'portal-session': () => callOk('portal-session', portal.event('GET', '/portal/api/session')),
  'portal-logout': () => callOk('portal-logout', portal.event('POST', '/portal/api/logout')),
  'portal-keys-list': () =>
    callOk('portal-keys-list', portal.event('GET', '/portal/api/keys', { query: { search: 'orders' } })),
  'portal-keys-create': () =>
    callOk(
      'portal-keys-create',
      portal.event('POST', '/portal/api/keys', {
        body: { name: 'ci', type: 'service', roles: ['reporting'] },
      }),
    ),
  'portal-keys-get': () =>
    callOk('portal-keys-get', portal.event('GET', '/portal/api/keys/{keyId}', { path: { keyId } })),
  'portal-keys-update': () =>
    callOk(
      'portal-keys-update',
      portal.event('PATCH', '/portal/api/keys/{keyId}', {
        path: { keyId },
        body: { name: 'n', roles: ['read'] },
      }),
    ),
  'portal-keys-delete': () =>
    callOk('portal-keys-delete', portal.event('DELETE', '/portal/api/keys/{keyId}', { path: { keyId } })),
  'portal-keys-revoke': () =>
    callOk(
      'portal-keys-revoke',
      portal.event('POST', '/portal/api/keys/{keyId}/revoke', { path: { keyId }, body: {} }),
    ),
  'portal-keys-rotate': () =>
    callOk(
      'portal-keys-rotate',
      portal.event('POST', '/portal/api/keys/{keyId}/rotate', {
        path: { keyId },
        body: { gracePeriodSeconds: 60 },
      }),
    ),
  'portal-keys-usage': () =>
    callOk('portal-keys-usage', portal.event('GET', '/portal/api/keys/{keyId}/usage', { path: { keyId } })),
  'sweep-scheduled': async () => {
    const scheduled = scheduledEvent(['arn:aws:events:eu-west-1:123456789012:rule/SweepSchedule']);
    await (await loadHandler('sweep-scheduled'))(scheduled, context());
    // The migration pass ran too: it scanned the keys and recorded its progress.
    expect(recorder.calls).toContainEqual({ action: 'dynamodb:Scan', table: 'keys' });
    expect(recorder.calls).toContainEqual({ action: 'dynamodb:PutItem', table: 'owners' });
  },
  'usage-ingest': async () => {
    // What the authorizer's log subscription delivers: its per-check lines.
    const authorizer = await loadHandler('authorizer');
    const lines = await logOf(() => authorizer(authorizerCheck()).catch(() => undefined));
    recorder.clear();
    await (await loadHandler('usage-ingest'))(logSubscriptionEvent(lines));
  },
};

let template: Template;

beforeAll(() => {
  template = Template.fromStack(latchkeyStack(testApp()));
}, 60_000);

const json = (value: unknown) => JSON.stringify(value);

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
  const arn = tableArn(template, call.table);
  const wanted = call.index ? { 'Fn::Join': ['', [arn, `/index/${call.index}`]] } : arn;
  return list(statement.Resource).some((resource) => json(resource) === json(wanted));
}

describe('each function is granted every DynamoDB call its code makes', () => {
  it('covers every function the stack deploys: each management and portal route, healthz, the authorizer, the sweep, usage-ingest, the grace check and the public report check', () => {
    const routes = [...MANAGEMENT_ROUTES.filter((r) => !r.localOnly), ...PORTAL_ROUTES].map((r) => r.handler);
    const expected = [
      ...new Set([
        ...routes,
        'healthz',
        'authorizer',
        'sweep-scheduled',
        'usage-ingest',
        'pepper-rotation',
        'grace-check',
        'credentials-check',
      ]),
    ].sort();
    expect(Object.keys(SCENARIOS).sort()).toEqual(expected);
    expect(Object.keys(latchkeyFunctions(template))).toHaveLength(expected.length);
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
    const statements = statementsOf(template, handler);
    const missing = calls.filter((call) => !statements.some((statement) => allows(statement, call)));
    expect(missing, `${handler} sends calls its role does not allow`).toEqual([]);
  });
});
