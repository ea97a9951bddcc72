import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The floor for the bundle and import ratios: a handler built the same way that makes only the
 * SDK calls a check needs (one DynamoDB GetItem, one Secrets Manager GetSecretValue).
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const secrets = new SecretsManagerClient({});
const table = process.env.LATCHKEY_KEYS_TABLE;

export const handler = async (event: { keyId: string }) => {
  const [item, pepper] = await Promise.all([
    doc.send(new GetCommand({ TableName: table, Key: { keyId: event.keyId }, ConsistentRead: true })),
    secrets.send(new GetSecretValueCommand({ SecretId: process.env.LATCHKEY_PEPPER_SECRET_ARN })),
  ]);
  return { found: item.Item !== undefined, pepper: pepper.SecretString !== undefined };
};
