import { APIGatewayClient, GetUsageCommand } from '@aws-sdk/client-api-gateway';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizerConfig } from '#config/authorizer.ts';
import type { KeyRecord } from '#domain/keys/key.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { QuotaService } from '#domain/plans/quota-service.ts';
import { ApiGatewayKeys } from '#platform/aws/gateway-keys.ts';
import { createAuthorizer } from '#platform/http/authorizer-events.ts';
import { usageIdentifier } from '#platform/wiring/usage-identifier.ts';
import { requestEvent } from '../support/authorizer-events.ts';
import { storedKey } from '../support/fixtures.ts';

const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'q'.repeat(40) }));
const secrets = mockClient(SecretsManagerClient);
const apigw = mockClient(APIGatewayClient);
afterEach(() => {
  secrets.reset();
  apigw.reset();
});

/** A REST REQUEST authorizer over one stored key, with the given usageIdentifier. */
function authorizerFor(record: KeyRecord, identify: (key: KeyRecord) => Promise<string | undefined | null>) {
  const faults: string[] = [];
  const authorize = createAuthorizer(
    {
      getKey: async (id) => (id === record.keyId ? record : undefined),
      peppers: async () => peppers,
      now: () => new Date('2026-06-01T12:00:00Z'),
      customRoles: async () => new Map(),
      observe: () => undefined,
      fault: (error) => faults.push((error as Error).name),
      usageIdentifier: identify,
    },
    authorizerConfig({}),
  );
  return { authorize, faults };
}
const check = (secret: string) =>
  requestEvent({ method: 'GET', path: '/orders/1', headers: { authorization: `Bearer ${secret}` } });

describe('the usageIdentifierKey the authorizer returns', () => {
  it('perKey: the key value the management functions stored', async () => {
    const { record, secret } = storedKey(peppers, {
      plan: 'free',
      usageKeyId: 'ak-1',
      usageKeyPlan: 'free',
      usageIdentifierKey: 'per-key-value-1',
    });
    const { authorize } = authorizerFor(record, usageIdentifier({ mode: 'perKey', plans: {} }));
    const result = await authorize(check(secret) as never);
    expect(result).toMatchObject({
      usageIdentifierKey: 'per-key-value-1',
      context: { plan: 'free', code: 'VALID' },
    });
  });

  it('perKey: a key with a plan and no API key yet is refused (403 USAGE_PLAN_PENDING), never let through unlimited', async () => {
    const { record, secret } = storedKey(peppers, { plan: 'free' });
    const { authorize } = authorizerFor(record, usageIdentifier({ mode: 'perKey', plans: {} }));
    const result = (await authorize(check(secret) as never)) as {
      policyDocument: { Statement: { Effect: string }[] };
      context: Record<string, string>;
    };
    expect(result).not.toHaveProperty('usageIdentifierKey');
    expect(result.context.code).toBe('USAGE_PLAN_PENDING');
    expect(result.policyDocument.Statement.every((s) => s.Effect === 'Deny')).toBe(true);
  });

  it('perKey: a value set by hand waits as pending; during a plan change the previous plan key still meters', async () => {
    const identify = usageIdentifier({ mode: 'perKey', plans: {} });
    const byHand = storedKey(peppers, { plan: 'free', usageIdentifierKey: 'typed-in-by-someone' }).record;
    expect(await identify(byHand)).toBeNull();
    const stale = storedKey(peppers, {
      plan: 'pro',
      usageKeyId: 'ak-1',
      usageKeyPlan: 'free',
      usageIdentifierKey: 'per-key-value-1',
    }).record;
    expect(await identify(stale)).toBe('per-key-value-1');
  });

  it('shared: the plan key value from Secrets Manager, cached, never from the environment', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: 'arn:free' })
      .resolves({ SecretString: 'shared-free-value-xyz' });
    const identify = usageIdentifier({ mode: 'shared', plans: { free: { valueSecretArn: 'arn:free' } } });
    const { record, secret } = storedKey(peppers, { plan: 'free' });
    const { authorize } = authorizerFor(record, identify);
    for (let i = 0; i < 3; i++)
      expect(await authorize(check(secret) as never)).toMatchObject({
        usageIdentifierKey: 'shared-free-value-xyz',
      });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    // A key without a plan keeps its own (or none); a plan this deployment lacks is refused.
    expect(await identify(storedKey(peppers).record)).toBeUndefined();
    expect(await identify(storedKey(peppers, { plan: 'gone' }).record)).toBeNull();
  });

  it('shared: Secrets Manager failing fails the check closed (a fault, 500), never an answer without the key', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('down'), { name: 'InternalServiceError' }));
    const { record, secret } = storedKey(peppers, { plan: 'free' });
    const { authorize, faults } = authorizerFor(
      record,
      usageIdentifier({ mode: 'shared', plans: { free: { valueSecretArn: 'arn:free-2' } } }),
    );
    await expect(authorize(check(secret) as never)).rejects.toThrow(/Authorizer fault/);
    expect(faults.length).toBe(1);
  });

  it('without usage plans: the key own usageIdentifierKey, as before', async () => {
    const identify = usageIdentifier(null);
    expect(await identify(storedKey(peppers, { usageIdentifierKey: 'own' }).record)).toBe('own');
    expect(await identify(storedKey(peppers, { plan: 'free' }).record)).toBeUndefined();
  });
});

describe('quota used in AWS, from GetUsage', () => {
  const settings = {
    mode: 'perKey' as const,
    keyPrefix: 'p-',
    plans: { free: { usagePlanId: 'up-free' } },
  };
  it('adds up the days of the period for the key own API key', async () => {
    apigw
      .on(GetUsageCommand, {
        usagePlanId: 'up-free',
        keyId: 'ak1',
        startDate: '2026-06-01',
        endDate: '2026-06-03',
      })
      .resolves({
        items: {
          ak1: [
            [120, 880],
            [300, 580],
            [5, 575],
          ],
        },
      });
    const gateway = new ApiGatewayKeys(new APIGatewayClient({ region: 'us-east-1' }), settings);
    const { record } = storedKey(peppers, { plan: 'free', usageKeyId: 'ak1' });
    const quota = new QuotaService({
      store: { getKey: async () => record },
      plans: { free: { rateLimit: 5, burstLimit: 5, quota: { limit: 1000, period: 'MONTH' } } },
      counter: {
        used: async (r, plan, from, to) => ({
          used: await gateway.used(r.usageKeyId as string, plan, from, to),
          shared: false,
        }),
      },
      now: () => new Date('2026-06-03T10:00:00Z'),
    });
    expect(await quota.quota(record.keyId)).toEqual({
      keyId: record.keyId,
      shared: false,
      plan: 'free',
      limit: 1000,
      period: 'MONTH',
      used: 425,
      remaining: 575,
      resetsAt: '2026-07-01T00:00:00.000Z',
    });
  });
});
