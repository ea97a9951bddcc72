import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '../../local/dynamodb-local.ts';

/** One in-memory DynamoDB Local for the whole run; each test file uses its own table prefix. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoLocal({ dbPath: undefined, accessKeyId: 'local' });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
