import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetApiKeysCommand,
  GetUsageCommand,
} from '@aws-sdk/client-api-gateway';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyRecord } from '#domain/keys/key.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { candidatesOf } from '#domain/leak/public-report.ts';
import { storedKey } from '../support/fixtures.ts';
import { callOk, context, loadHandler, restEvent, scheduledEvent, useLambdaEnv } from '../support/lambda.ts';
import { portalSessionItem } from '../support/portal-session.ts';
import { type RecordedCall, recordCommands } from '../support/recorded-commands.ts';
import { latchkeyStack, list, type Statement, statementsOf, tableArn, testApp } from '../support/stack.ts';

/**
 * perKey usage plans: each function's IAM policy against what its code really sends, DynamoDB and
 * API Gateway, as test/unit/function-access.test.ts does for the service without plans.
 */
const PLANS = {
  free: { rateLimit: 5, burstLimit: 5, quota: { limit: 1000, period: 'DAY' as const } },
  pro: { rateLimit: 50, burstLimit: 100, quota: { limit: 100000, period: 'MONTH' as const } },
};
const PORTAL_URL = 'https://portal.example.test';
useLambdaEnv({
  LATCHKEY_PORTAL_URL: PORTAL_URL,
  LATCHKEY_USAGE_SOURCE: 'logs',
  LATCHKEY_EVENT_BUS_NAME: 'default',
  POWERTOOLS_METRICS_DISABLED: 'true',
  LATCHKEY_PLANS: JSON.stringify(PLANS),
  LATCHKEY_USAGE_PLANS: JSON.stringify({
    mode: 'perKey',
    keyPrefix: 'lk-',
    plans: { free: { usagePlanId: 'up-free' }, pro: { usagePlanId: 'up-pro' } },
  }),
});
delete process.env.LATCHKEY_EVENTS_TABLE;

const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'p'.repeat(40) }));
const key = storedKey(peppers, { plan: 'free', rotationDueAt: '2026-02-01T00:00:00.000Z' });
const { keyId } = key.record;
/** What the keys table answers a read with, per scenario. */
let stored: KeyRecord = key.record;
/** What the keys table holds once a transaction has written it (a revocation, say), if it changes. */
let written: KeyRecord | undefined;
/** A portal user's session over the key's workspace. */
const portal = portalSessionItem(key.record.scope, PORTAL_URL);

const recorder = recordCommands((call) => {
  if (call.action === 'dynamodb:TransactWriteItems' && written) [stored, written] = [written, undefined];
  if (call.action === 'dynamodb:GetItem' && call.table === 'sessions') return { Item: portal.opened };
  if (call.action === 'dynamodb:GetItem') return call.table === 'keys' ? { Item: stored } : {};
  if (call.action === 'dynamodb:Query')
    return call.table === 'keys' ? { Items: [stored], ScannedCount: 1 } : { Items: [], ScannedCount: 0 };
  return {};
});
const apigw = mockClient(APIGatewayClient);
const gatewayCalls: { action: string; path: string }[] = [];
apigw.on(CreateApiKeyCommand).callsFake(() => {
  gatewayCalls.push({ action: 'apigateway:POST', path: '/apikeys' });
  return { id: 'ak-new', value: 'v'.repeat(40) };
});
apigw.on(CreateUsagePlanKeyCommand).callsFake(() => {
  gatewayCalls.push({ action: 'apigateway:POST', path: '/keys' });
  return {};
});
apigw.on(DeleteApiKeyCommand).callsFake(() => {
  gatewayCalls.push({ action: 'apigateway:DELETE', path: '/apikeys/*' });
  return {};
});
apigw.on(GetApiKeysCommand).callsFake(() => {
  gatewayCalls.push({ action: 'apigateway:GET', path: '/apikeys' });
  return { items: [{ id: 'ak-orphan', name: `lk-${keyId}` }] };
});
apigw.on(GetUsageCommand).callsFake((input) => {
  gatewayCalls.push({ action: 'apigateway:GET', path: '/usage' });
  return { items: { [input.keyId]: [[900, 100]] } };
});
afterAll(() => {
  recorder.restore();
  apigw.restore();
});

/** A portal page's request about the key. */
const portalCall = (handler: string, method: string, resource: string, body?: unknown) =>
  callOk(handler, portal.event(method, resource, { path: { keyId }, body }));
const scheduled = scheduledEvent();
const held = {
  ...key.record,
  usageKeyId: 'ak-old',
  usageKeyPlan: 'free',
  usageIdentifierKey: 'x'.repeat(40),
};

/** A request per function, and the record the keys table holds for it (what makes it call API Gateway). */
const SCENARIOS: Record<string, [KeyRecord, () => Promise<unknown>]> = {
  'keys-create': [
    key.record,
    () => callOk('keys-create', restEvent('POST', '/v1/keys', { body: { owner: 'alice', plan: 'free' } })),
  ],
  'keys-update': [
    { ...held, plan: 'pro' },
    () =>
      callOk(
        'keys-update',
        restEvent('PATCH', '/v1/keys/{keyId}', { path: { keyId }, body: { plan: 'pro' } }),
      ),
  ],
  'keys-revoke': [
    { ...held, status: 'revoked', revokedAt: '2026-03-01T00:00:00.000Z' },
    () => callOk('keys-revoke', restEvent('POST', '/v1/keys/{keyId}/revoke', { path: { keyId }, body: {} })),
  ],
  // The kill switch revokes through the same key changes: each key's API key goes with it.
  'keys-bulk': [
    held,
    async () => {
      const request = { filter: { owner: held.owner }, action: 'revoke' };
      const dry = await (await loadHandler('keys-bulk'))(
        restEvent('POST', '/v1/keys/bulk', { body: { ...request, dryRun: true } }),
        context(),
      );
      const { confirm } = JSON.parse(dry.body) as { confirm: string };
      written = { ...held, status: 'revoked', revokedAt: '2026-03-01T00:00:00.000Z', slotHeld: false };
      await callOk(
        'keys-bulk',
        restEvent('POST', '/v1/keys/bulk', { body: { ...request, dryRun: false, confirm } }),
      );
    },
  ],
  'keys-delete': [
    held,
    () => callOk('keys-delete', restEvent('DELETE', '/v1/keys/{keyId}', { path: { keyId } })),
  ],
  'keys-rotate': [
    key.record,
    () =>
      callOk(
        'keys-rotate',
        restEvent('POST', '/v1/keys/{keyId}/rotate', { path: { keyId }, body: { gracePeriodSeconds: 0 } }),
      ),
  ],
  'keys-quota': [
    held,
    () => callOk('keys-quota', restEvent('GET', '/v1/keys/{keyId}/quota', { path: { keyId } })),
  ],
  'rotation-sweep': [
    key.record,
    () => callOk('rotation-sweep', restEvent('POST', '/v1/rotation/sweep', { body: {} })),
  ],
  'sweep-scheduled': [key.record, async () => (await loadHandler('sweep-scheduled'))(scheduled, context())],
  // A portal user changes keys through the same key service: an operator may have put them on a plan.
  'portal-keys-update': [
    { ...held, plan: 'pro' },
    () => portalCall('portal-keys-update', 'PATCH', '/portal/api/keys/{keyId}', { name: 'n' }),
  ],
  'portal-keys-revoke': [
    { ...held, status: 'revoked', revokedAt: '2026-03-01T00:00:00.000Z' },
    () => portalCall('portal-keys-revoke', 'POST', '/portal/api/keys/{keyId}/revoke', {}),
  ],
  // A public report's check revokes a live key it was sent: its API key goes with it.
  'credentials-check': [
    held,
    async () => {
      written = { ...held, status: 'revoked', revokedAt: '2026-03-01T00:00:00.000Z', slotHeld: false };
      await (await loadHandler('credentials-check'))(
        { candidates: candidatesOf([key.secret], peppers), sighting: { sourceIp: '203.0.113.9' } },
        context(),
      );
    },
  ],
  'portal-keys-delete': [held, () => portalCall('portal-keys-delete', 'DELETE', '/portal/api/keys/{keyId}')],
  'portal-keys-rotate': [
    key.record,
    () =>
      portalCall('portal-keys-rotate', 'POST', '/portal/api/keys/{keyId}/rotate', { gracePeriodSeconds: 0 }),
  ],
};

let template: Template;
beforeAll(() => {
  template = Template.fromStack(latchkeyStack(testApp(), { plans: PLANS, usagePlanMode: 'perKey' }));
}, 60_000);

const allowsDynamo = (s: Statement, call: RecordedCall) => {
  if (s.Effect !== 'Allow' || !list(s.Action).includes(call.action) || s.Condition) return false;
  if (!call.table) return true;
  const arn = tableArn(template, call.table);
  const wanted = call.index ? { 'Fn::Join': ['', [arn, `/index/${call.index}`]] } : arn;
  return list(s.Resource).some((r) => JSON.stringify(r) === JSON.stringify(wanted));
};
const allowsGateway = (s: Statement, call: { action: string; path: string }) =>
  s.Effect === 'Allow' &&
  list(s.Action).includes(call.action) &&
  list(s.Resource).some((r) => JSON.stringify(r).includes(call.path.replace('/*', '/*')));

describe('perKey: each function is granted every call its code makes, API Gateway included', () => {
  it.each(Object.keys(SCENARIOS))('%s', async (handler) => {
    const [record, run] = SCENARIOS[handler] as [KeyRecord, () => Promise<unknown>];
    stored = record;
    recorder.clear();
    gatewayCalls.length = 0;
    await run();
    expect(
      gatewayCalls.length,
      `${handler} made no API Gateway call: the scenario did not run`,
    ).toBeGreaterThan(0);
    const statements = statementsOf(template, handler);
    const missing = [
      ...recorder.calls.filter((call) => !statements.some((s) => allowsDynamo(s, call))),
      ...gatewayCalls.filter((call) => !statements.some((s) => allowsGateway(s, call))),
    ];
    expect(missing, `${handler} sends calls its role does not allow`).toEqual([]);
  });

  it('a portal create calls no API Gateway API and is granted none (a portal key carries no plan), but may read the key back', async () => {
    stored = { ...key.record, plan: undefined };
    recorder.clear();
    gatewayCalls.length = 0;
    await portalCall('portal-keys-create', 'POST', '/portal/api/keys', { name: 'ci', type: 'service' });
    expect(gatewayCalls).toEqual([]);
    const statements = statementsOf(template, 'portal-keys-create');
    expect(recorder.calls.filter((call) => !statements.some((s) => allowsDynamo(s, call)))).toEqual([]);
    expect(recorder.calls).toContainEqual({ action: 'dynamodb:GetItem', table: 'keys' });
    expect(
      statements.flatMap((s) => list(s.Action)).filter((a) => String(a).startsWith('apigateway:')),
    ).toEqual([]);
  });

  it('the authorizer calls no API Gateway API and is granted none', () => {
    expect(
      statementsOf(template, 'authorizer')
        .flatMap((s) => list(s.Action))
        .filter((a) => String(a).startsWith('apigateway:')),
    ).toEqual([]);
  });
});
