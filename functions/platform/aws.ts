import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { intEnv } from './config.ts';

/**
 * Bounded time per DynamoDB call (LATCHKEY_DYNAMODB_TIMEOUT_MS, default 3000) and attempts
 * (LATCHKEY_DYNAMODB_MAX_ATTEMPTS, default 3): a slow table fails a check, closed, instead of
 * holding it until the Lambda times out.
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
  return process.env.LATCHKEY_DYNAMODB_ENDPOINT || undefined;
}

export function dynamoClient(): DynamoDBClient {
  if (!client) {
    const endpoint = localEndpoint();
    const timeout = intEnv('LATCHKEY_DYNAMODB_TIMEOUT_MS', 3000, 50, 60_000);
    client = new DynamoDBClient({
      maxAttempts: intEnv('LATCHKEY_DYNAMODB_MAX_ATTEMPTS', 3, 1, 10),
      requestHandler: new NodeHttpHandler({
        connectionTimeout: timeout,
        requestTimeout: timeout,
        throwOnRequestTimeout: true,
      }),
      ...(endpoint
        ? {
            endpoint,
            region: LOCAL_DYNAMODB_REGION,
            credentials: {
              accessKeyId: process.env.LATCHKEY_DYNAMODB_ACCESS_KEY_ID || 'local',
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
