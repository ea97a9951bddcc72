import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { TABLES, type TableId, tableEnvVar } from '../../functions/store/tables.ts';
import { lambdaContext } from '../../local/apigateway.ts';

/** The environment a deployed function gets, with a throwaway pepper file, for unit tests. */
export function useLambdaEnv(extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-unit-'));
  const pepperFile = join(dir, 'pepper.json');
  writeFileSync(pepperFile, JSON.stringify({ version: '1', pepper: 'p'.repeat(40) }), { mode: 0o600 });
  for (const id of Object.keys(TABLES)) process.env[tableEnvVar(id as TableId)] = `unit-${id}`;
  Object.assign(process.env, { LATCHKEY_PEPPER_FILE: pepperFile, ...extra });
}

export function restEvent(
  method: string,
  resource: string,
  options: {
    path?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
    query?: Record<string, string>;
  } = {},
): APIGatewayProxyEvent {
  const path = resource.replace(/\{(\w+)\}/g, (_, name: string) => options.path?.[name] ?? '');
  return {
    resource,
    path,
    httpMethod: method,
    headers: { 'Content-Type': 'application/json', ...options.headers },
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: options.path ?? null,
    stageVariables: null,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      identity: { sourceIp: '203.0.113.1', userArn: 'arn:aws:iam::123456789012:user/operator' },
      httpMethod: method,
      resourcePath: resource,
      stage: 'prod',
    } as APIGatewayProxyEvent['requestContext'],
  };
}

export const context = (): Context => lambdaContext('unit', randomUUID());
