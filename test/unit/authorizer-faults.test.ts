import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePepperSet } from '#domain/hash.ts';
import { requestEvent } from '../support/authorizer-events.ts';
import { storedKey } from '../support/fixtures.ts';
import { useLambdaEnv } from '../support/lambda.ts';

useLambdaEnv({ LATCHKEY_PEPPER_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pepper' });
delete process.env.LATCHKEY_PEPPER_FILE;

const ddb = mockClient(DynamoDBDocumentClient);
const sm = mockClient(SecretsManagerClient);
const pepperDoc = JSON.stringify({ version: '1', pepper: 'z'.repeat(40) });

let handler: typeof import('#handlers/authorizer.ts')['handler'];
beforeAll(async () => {
  handler = (await import('#handlers/authorizer.ts')).handler;
});
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
