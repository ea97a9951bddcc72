import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { requestEvent } from '../support/authorizer-events.ts';
import { storedKey } from '../support/fixtures.ts';
import { logOf, useLambdaEnv } from '../support/lambda.ts';

// The authorizer's client bounds as the CDK construct sets them (metrics off, as in local mode).
useLambdaEnv({
  LATCHKEY_PEPPER_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pepper',
  LATCHKEY_AWS_CONNECTION_TIMEOUT_MS: '250',
  LATCHKEY_DYNAMODB_TIMEOUT_MS: '600',
  LATCHKEY_DYNAMODB_MAX_ATTEMPTS: '2',
});
delete process.env.LATCHKEY_PEPPER_FILE;

const ddb = mockClient(DynamoDBDocumentClient);
const sm = mockClient(SecretsManagerClient);
const pepperDoc = JSON.stringify({ version: '1', pepper: 'z'.repeat(40) });

let handler: typeof import('#handlers/authorizer.ts')['handler'];
beforeAll(async () => {
  handler = (await import('#handlers/authorizer.ts')).handler;
});
afterEach(() => vi.restoreAllMocks());
beforeEach(() => {
  ddb.reset();
  sm.reset();
  sm.on(GetSecretValueCommand).resolves({ SecretString: pepperDoc });
});

const { record: stored, secret } = storedKey(parsePepperSet(pepperDoc));
const keyId = stored.keyId;
const event = () =>
  requestEvent({ method: 'GET', path: '/orders', headers: { authorization: `Bearer ${secret}` } });

function fault(name: string, message: string) {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('the authorizer fails closed', () => {
  // First in the file: the instance is cold, so no cached pepper can hide the fault.
  it('when Secrets Manager fails on a cold start', async () => {
    sm.reset();
    sm.on(GetSecretValueCommand).rejects(fault('InternalServiceError', 'boom'));
    ddb.on(GetCommand).resolves({ Item: undefined });
    const outcome = handler(event());
    await expect(outcome).rejects.toThrow(/Authorizer fault/);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  for (const [label, error] of [
    ['throttling', fault('ProvisionedThroughputExceededException', 'Rate exceeded')],
    ['an internal error', fault('InternalServerError', 'Internal server error')],
    ['a timeout', fault('TimeoutError', 'Connection timed out after 1500 ms')],
  ] as const) {
    it(`on ${label} of the key read: a 500, never an Allow or a cacheable Deny`, async () => {
      ddb.on(GetCommand).rejects(error);
      const outcome = handler(event());
      await expect(outcome).rejects.toThrow(/Authorizer fault/);
      await expect(outcome).rejects.not.toThrow('Unauthorized');
    });
  }

  it('and allows once the store answers, reading the pepper through Secrets Manager', async () => {
    ddb.on(GetCommand).resolves({ Item: stored });
    const result = await handler(event());
    expect(result).toMatchObject({ principalId: keyId });
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      Key: { keyId },
      ConsistentRead: true,
    });
  });
});

/** What the authorizer wrote to stdout and stderr while `run` ran, line by line (its fault is asserted elsewhere). */
const output = (run: () => Promise<unknown>) => logOf(() => run().catch(() => undefined), { stderr: true });

describe('a fault is reported', () => {
  it('in one structured log line with the error name and key ID, never the secret, with metrics off (local mode)', async () => {
    const { logger } = await import('#platform/observability/logger.ts');
    logger.setLogLevel('INFO');
    ddb.on(GetCommand).rejects(fault('ProvisionedThroughputExceededException', 'Rate exceeded'));
    const lines = await output(() => handler(event()));
    logger.setLogLevel('SILENT');
    const faults = lines.filter((line) => line.includes('ProvisionedThroughputExceededException'));
    expect(faults).toHaveLength(1);
    expect(JSON.parse(faults[0] as string)).toMatchObject({
      level: 'ERROR',
      message: 'authorizer fault: failing closed',
      errorName: 'ProvisionedThroughputExceededException',
      keyId,
    });
    expect(lines.join('\n')).not.toContain(secret);
  });

  it('through clients whose every call ends well inside the 5 s Lambda timeout', async () => {
    const { dynamoClient, secretsClient } = await import('#platform/aws/clients.ts');
    for (const client of [dynamoClient(), secretsClient()]) {
      expect(await client.config.maxAttempts()).toBe(2);
      const handlerConfig = await (
        client.config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> }
      ).configProvider;
      expect(handlerConfig).toMatchObject({ connectionTimeout: 250, requestTimeout: 600 });
    }
  });
});
