import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { settings } from '#config/settings.ts';

/**
 * Bounded time per DynamoDB and Secrets Manager call: to connect
 * (LATCHKEY_AWS_CONNECTION_TIMEOUT_MS, default the request timeout), to answer
 * (LATCHKEY_DYNAMODB_TIMEOUT_MS, default 3000) and attempts (LATCHKEY_DYNAMODB_MAX_ATTEMPTS,
 * default 3): a slow service fails a check, closed, instead of holding it until the Lambda times
 * out. The CDK construct sets tighter bounds for the authorizer (AUTHORIZER_CLIENT_BOUNDS).
 *
 * One DynamoDB document client per process, reused across invocations. With
 * LATCHKEY_DYNAMODB_ENDPOINT (local mode, tests) it talks to that engine with placeholder
 * credentials (the access key ID from LATCHKEY_DYNAMODB_ACCESS_KEY_ID selects the local server's
 * private database), so nothing local ever needs, or reaches for, an AWS account.
 */
let client: DynamoDBClient | undefined;
let document: DynamoDBDocumentClient | undefined;

/** Local engines get one fixed region: DynamoDB Local keeps a database per access key ID and region. */
export const LOCAL_DYNAMODB_REGION = 'us-east-1';

function localEndpoint(): string | undefined {
  return settings().LATCHKEY_DYNAMODB_ENDPOINT;
}

function bounded() {
  const config = settings();
  const timeout = config.LATCHKEY_DYNAMODB_TIMEOUT_MS ?? 3000;
  return {
    maxAttempts: config.LATCHKEY_DYNAMODB_MAX_ATTEMPTS,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: config.LATCHKEY_AWS_CONNECTION_TIMEOUT_MS ?? timeout,
      requestTimeout: timeout,
      throwOnRequestTimeout: true,
    }),
  };
}

let secrets: SecretsManagerClient | undefined;

/** One Secrets Manager client per process (the pepper), with the same bounds. */
export function secretsClient(): SecretsManagerClient {
  secrets ??= new SecretsManagerClient(bounded());
  return secrets;
}

export function dynamoClient(): DynamoDBClient {
  if (!client) {
    const endpoint = localEndpoint();
    client = new DynamoDBClient({
      ...bounded(),
      ...(endpoint
        ? {
            endpoint,
            region: LOCAL_DYNAMODB_REGION,
            credentials: {
              accessKeyId: settings().LATCHKEY_DYNAMODB_ACCESS_KEY_ID,
              secretAccessKey: 'local',
            },
          }
        : {}),
    });
  }
  return client;
}

export function dynamoDocument(): DynamoDBDocumentClient {
  // The marshaller takes an object whose own `constructor` is data (a metadata key, say) for a
  // class instance; converting those as maps is what stores user-named keys at all.
  document ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  return document;
}
