import {
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type InvokeCommandOutput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { CreatedKey, CreateKeyRequest } from '@latchkey/client/types';
import type { ApiClient } from '../http.ts';
import { type AwsProblem, awsProblem } from './aws.ts';
import { awsFailure, type Check, fail, type Leftover, pass, removeLeftover, skip } from './checks.ts';
import type { Deployment } from './deployment.ts';

/** The authorizer function as deployed, or why it could not be read. */
export type AuthorizerConfig = { readonly config: FunctionConfiguration } | Unreadable;
type Unreadable = { readonly error: unknown; readonly name: string };

export async function readAuthorizer(lambda: LambdaClient, name: string): Promise<AuthorizerConfig> {
  try {
    return { config: await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })) };
  } catch (error) {
    return { error, name };
  }
}

/** A check that cannot go on without the authorizer's configuration: why, and what to do. */
export function configFailure(id: Check['id'], read: Unreadable): Check {
  return awsFailure(
    id,
    `read the authorizer function ${read.name}`,
    read.error,
    `your identity needs lambda:GetFunctionConfiguration on ${read.name}`,
  );
}

/** The probe: a request to a protected REST API that exists only in this event. */
const PROBE = { method: 'GET', path: '/latchkey-doctor', api: 'latchkeydoctor', stage: 'doctor' } as const;

/**
 * A REST `REQUEST` authorizer event, as API Gateway sends it, carrying the secret where the
 * deployed authorizer reads it (`LATCHKEY_KEY_HEADER`) and the workspace where it looks for one
 * (`LATCHKEY_WORKSPACE_SOURCE`): the deployed settings, read from the function.
 */
function requestEvent(
  deployment: Deployment,
  variables: Readonly<Record<string, string>>,
  secret: string,
  requestId: string,
) {
  const keyHeader = variables.LATCHKEY_KEY_HEADER?.toLowerCase();
  const headers: Record<string, string> = { 'user-agent': 'latchkey-doctor' };
  if (keyHeader && keyHeader !== 'authorization') headers[keyHeader] = secret;
  else headers.authorization = `Bearer ${secret}`;
  const pathParameters: Record<string, string> = {};
  const [kind, name] = (variables.LATCHKEY_WORKSPACE_SOURCE ?? '').split(/:(.*)/s);
  if (kind === 'header' && name) headers[name.toLowerCase()] = 'latchkey-doctor';
  if (kind === 'path' && name) pathParameters[name] = 'latchkey-doctor';
  const { account, partition, region } = deployment;
  return {
    type: 'REQUEST',
    methodArn: `arn:${partition}:execute-api:${region}:${account}:${PROBE.api}/${PROBE.stage}/${PROBE.method}${PROBE.path}`,
    resource: PROBE.path,
    path: PROBE.path,
    httpMethod: PROBE.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: {},
    multiValueQueryStringParameters: {},
    pathParameters,
    stageVariables: {},
    requestContext: {
      accountId: account,
      apiId: PROBE.api,
      stage: PROBE.stage,
      requestId,
      resourceId: 'doctor',
      resourcePath: PROBE.path,
      path: `/${PROBE.stage}${PROBE.path}`,
      httpMethod: PROBE.method,
      identity: { sourceIp: '203.0.113.10', userAgent: 'latchkey-doctor' },
    },
  };
}

/** What the authorizer decided: allowed, refused (401, or 403 with a code), or it failed. */
type Outcome =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'denied'; readonly code: string }
  | { readonly kind: 'fault'; readonly message: string }
  | { readonly kind: 'not-invoked'; readonly problem: AwsProblem };

interface Answer {
  principalId?: string;
  policyDocument?: { Statement?: { Effect?: string }[] };
  context?: Record<string, string>;
  errorMessage?: string;
}

async function invoke(lambda: LambdaClient, name: string, event: unknown): Promise<Outcome> {
  let out: InvokeCommandOutput;
  try {
    out = await lambda.send(
      new InvokeCommand({ FunctionName: name, Payload: new TextEncoder().encode(JSON.stringify(event)) }),
    );
  } catch (error) {
    return { kind: 'not-invoked', problem: awsProblem(error) };
  }
  let answer: Answer = {};
  try {
    answer = JSON.parse(new TextDecoder().decode(out.Payload ?? new Uint8Array())) as Answer;
  } catch {
    // An answer that is not JSON is judged below as a fault.
  }
  // A REST authorizer refuses the unauthenticated by throwing "Unauthorized" (API Gateway's 401).
  if (out.FunctionError) {
    return answer.errorMessage === 'Unauthorized'
      ? { kind: 'unauthorized' }
      : { kind: 'fault', message: answer.errorMessage ?? out.FunctionError };
  }
  const code = answer.context?.code;
  const allows = (answer.policyDocument?.Statement ?? []).some((s) => s.Effect === 'Allow');
  if (code === 'VALID' && allows) return { kind: 'allowed' };
  if (code) return { kind: 'denied', code };
  return { kind: 'fault', message: 'the answer was neither a policy with a code nor a refusal' };
}

function said(o: Outcome): string {
  switch (o.kind) {
    case 'allowed':
      return 'allowed it';
    case 'unauthorized':
      return 'refused it as not authenticated (API Gateway answers 401)';
    case 'denied':
      return `refused it with ${o.code} (API Gateway answers 403)`;
    case 'fault':
      return `failed: ${o.message}`;
    case 'not-invoked':
      return `could not be invoked: ${o.problem.text}`;
  }
}

function invokeFix(outcome: Outcome, fnName: string, logs: string): string {
  if (outcome.kind === 'not-invoked') {
    return outcome.problem.denied
      ? `your identity needs lambda:InvokeFunction on ${fnName}`
      : 'check your network and --region';
  }
  if (outcome.kind === 'fault') {
    return `read the authorizer's log (${logs}): DynamoDB or Secrets Manager failed and it failed closed; the AuthorizerErrors alarm counts these`;
  }
  return `the authorizer must read the keys table and the pepper the management API writes with: compare LATCHKEY_KEYS_TABLE and LATCHKEY_PEPPER_SECRET_ARN of ${fnName} with the management functions', then deploy the stack again`;
}

interface AuthorizerRun {
  readonly api: ApiClient;
  readonly lambda: LambdaClient;
  readonly deployment: Deployment;
  readonly authorizer: AuthorizerConfig;
  readonly runId: string;
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly signal: AbortSignal;
  /** Where the test key is recorded, so the cleanup check can report it. */
  readonly leftovers: Leftover[];
  readonly cli: string;
}

const TEST_KEY_LIFETIME_MS = 60 * 60_000;

/**
 * Creates a test key through the API, asks the deployed authorizer about it (Lambda Invoke with a
 * REST REQUEST event), revokes it and asks again. The key is revoked and deleted afterwards,
 * whatever happened; its secret never leaves this function.
 */
export async function checkAuthorizer(run: AuthorizerRun): Promise<[Check, Check]> {
  const { api, lambda, deployment, authorizer } = run;
  if ('error' in authorizer) {
    return [configFailure('authorizer-allows', authorizer), skip('authorizer-refuses-revoked', 'see above')];
  }
  const fnName = authorizer.config.FunctionName ?? deployment.authorizer ?? 'the authorizer';
  const logs = authorizer.config.LoggingConfig?.LogGroup ?? `/aws/lambda/${fnName}`;
  const variables = authorizer.config.Environment?.Variables ?? {};
  let created: CreatedKey;
  try {
    created = await api.call((c) =>
      c.keys.create({
        name: `latchkey-doctor-${run.runId}`,
        description: 'Made by latchkey doctor to test the authorizer; revoked and deleted when it ends.',
        type: 'service',
        environment: 'development',
        // Every permission, so the check does not depend on the route map; the secret stays in
        // doctor's memory and the key is revoked within seconds (and expires in an hour regardless).
        roles: ['admin'],
        scope: { organizationId: 'latchkey-doctor', workspaceIds: '*' },
        expiresAt: new Date(run.now() + TEST_KEY_LIFETIME_MS).toISOString(),
        metadata: { 'latchkey-doctor': run.runId },
      } satisfies CreateKeyRequest),
    );
  } catch (error) {
    return [
      fail(
        'authorizer-allows',
        `could not create the test key: ${(error as Error).message}`,
        'your identity needs the management API grant api.key.create (service.grantKeyCreate) and api.key.delete, and the compliance policy must allow a service key with the admin role that expires in an hour',
      ),
      skip('authorizer-refuses-revoked', 'there is no test key'),
    ];
  }
  const keyId = created.key.keyId;
  const leftover: Leftover = {
    what: `test key ${keyId}`,
    removed: false,
    removeBy: `${run.cli} keys delete ${keyId} --yes`,
  };
  run.leftovers.push(leftover);
  const event = (n: number) => requestEvent(deployment, variables, created.secret, `${run.runId}-${n}`);
  try {
    const first = await invoke(lambda, fnName, event(1));
    const allows =
      first.kind === 'allowed'
        ? pass(
            'authorizer-allows',
            `${fnName} allowed ${keyId} on ${PROBE.method} ${PROBE.path} (a REST REQUEST event, code VALID)`,
          )
        : fail(
            'authorizer-allows',
            `${fnName} ${said(first)} for the fresh key ${keyId}`,
            first.kind === 'denied'
              ? `the authorizer authenticated the key but refused it (${first.code}): see the refusal codes in docs/authorizer.md; the key has every permission and every workspace`
              : invokeFix(first, fnName, logs),
            first.kind === 'not-invoked' && first.problem.unreachable,
          );
    if (first.kind === 'not-invoked')
      return [allows, skip('authorizer-refuses-revoked', 'the authorizer could not be invoked')];
    return [allows, await checkRevoked(run, keyId, fnName, logs, variables, event)];
  } finally {
    // DELETE revokes first, so the key stops working even if the revoke above never ran.
    await removeLeftover(
      leftover,
      () => api.call((c) => c.keys.delete(keyId)),
      (error) => (error as Error).message,
    );
  }
}

async function checkRevoked(
  run: AuthorizerRun,
  keyId: string,
  fnName: string,
  logs: string,
  variables: Readonly<Record<string, string>>,
  event: (n: number) => unknown,
): Promise<Check> {
  try {
    await run.api.call((c) => c.keys.revoke(keyId));
  } catch (error) {
    return fail(
      'authorizer-refuses-revoked',
      `could not revoke the test key ${keyId}: ${(error as Error).message}`,
      'your identity needs the management API grant api.key.delete (service.grantKeyDelete)',
    );
  }
  const revokedAt = run.now();
  // With the hot-key cache on, an instance may answer from its cache for that long: the stated bound.
  const cacheSeconds = Number(variables.LATCHKEY_KEY_CACHE_SECONDS ?? 0) || 0;
  const boundMs = cacheSeconds * 1000;
  for (let n = 2; ; n++) {
    const outcome = await invoke(run.lambda, fnName, event(n));
    const waited = Math.round((run.now() - revokedAt) / 100) / 10;
    if (outcome.kind === 'unauthorized' || outcome.kind === 'denied') {
      return pass(
        'authorizer-refuses-revoked',
        `${fnName} ${said(outcome)} ${n === 2 ? 'at the first request after the revoke' : `${waited} s after the revoke`}${cacheSeconds ? ` (hot-key cache bound: ${cacheSeconds} s)` : ''}`,
      );
    }
    if (outcome.kind !== 'allowed') {
      return fail(
        'authorizer-refuses-revoked',
        `${fnName} ${said(outcome)} for the revoked key ${keyId}`,
        invokeFix(outcome, fnName, logs),
        outcome.kind === 'not-invoked' && outcome.problem.unreachable,
      );
    }
    if (run.now() - revokedAt >= boundMs || run.signal.aborted) {
      return fail(
        'authorizer-refuses-revoked',
        `${fnName} still allowed ${keyId} ${n === 2 ? 'at the first request after it was revoked' : `${waited} s after it was revoked`}${run.signal.aborted ? ' (interrupted)' : ''}`,
        cacheSeconds
          ? `revocation must take effect within the hot-key cache's ${cacheSeconds} s (LATCHKEY_KEY_CACHE_SECONDS): read the authorizer's log (${logs})`
          : `revocation must take effect on the next request (the hot-key cache is off): the authorizer reads keys with strongly consistent reads; read its log (${logs}) and check that it reads the management API's keys table`,
      );
    }
    await run.sleep(1000, run.signal);
  }
}
