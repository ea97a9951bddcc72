import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One DynamoDB document client per process, reused across invocations. With
 * LATCHKEY_DYNAMODB_ENDPOINT (local mode, tests) it talks to that engine with placeholder
 * credentials, so nothing local ever needs, or reaches for, an AWS account.
 */
let document: DynamoDBDocumentClient | undefined;

export function localEndpoint(): string | undefined {
  return process.env.LATCHKEY_DYNAMODB_ENDPOINT || undefined;
}

export function dynamoDocument(): DynamoDBDocumentClient {
  if (!document) {
    const endpoint = localEndpoint();
    const client = new DynamoDBClient(
      endpoint
        ? {
            endpoint,
            region: process.env.AWS_REGION ?? 'us-east-1',
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          }
        : {},
    );
    document = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }
  return document;
}
