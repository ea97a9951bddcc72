import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEvent, CloudWatchLogsEvent, Context, ScheduledEvent } from 'aws-lambda';
import { expect, vi } from 'vitest';
import { HANDLER_MODULES } from '../../functions/handler-modules.ts';
import type { HandlerName } from '../../functions/routes.ts';
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

/**
 * What `work` wrote to stdout (and to stderr, with `stderr`), line by line: a function's log and
 * its metrics. An error of `work` is thrown once the streams are back.
 */
export async function logOf(
  work: () => Promise<unknown>,
  options: { stderr?: boolean } = {},
): Promise<string[]> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const spies = [process.stdout, ...(options.stderr ? [process.stderr] : [])].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation(capture),
  );
  try {
    await work();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines;
}

/** The metric documents (CloudWatch embedded metric format) among a function's log lines. */
export const emfDocuments = (lines: string[]) =>
  lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));

/** A handler as the Lambda runtime loads it: its module's init runs on the first load. */
export const loadHandler = async (name: string) =>
  // biome-ignore lint/suspicious/noExplicitAny: each handler has its own event type
  (await HANDLER_MODULES[name as HandlerName]()).handler as (event: any, ctx?: any) => Promise<any>;

/** Calls a management handler with `event`; fails unless it answers 2xx. */
export async function callOk(handler: string, event: APIGatewayProxyEvent): Promise<void> {
  const res = await (await loadHandler(handler))(event, context());
  expect(res.statusCode, `${handler}: ${res.body}`).toBeLessThan(300);
}

/** EventBridge's scheduled event, as the sweep's schedule delivers it. */
export const scheduledEvent = (resources: string[] = []): ScheduledEvent => ({
  version: '0',
  id: 'scheduled-1',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: new Date().toISOString(),
  region: 'eu-west-1',
  resources,
  detail: {},
});

/** What the authorizer's log subscription delivers to usage-ingest: `lines`, gzipped and base64-encoded. */
export function logSubscriptionEvent(lines: string[]): CloudWatchLogsEvent {
  const data = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/lambda/authorizer',
    logStream: 'stream',
    subscriptionFilters: ['usage'],
    logEvents: lines.map((message, i) => ({ id: String(i), timestamp: Date.now(), message })),
  };
  return { awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } };
}
