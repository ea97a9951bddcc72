import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import { type KeyRecord, keyActor } from '#domain/key.ts';
import {
  denyAll,
  type MethodArn,
  parseMethodArn,
  policyAllows,
  policyFor,
  requiredPermissions,
} from '#domain/route-policy.ts';
import {
  type Decision,
  type DecisionCode,
  isAuthenticated,
  type VerifyDeps,
  verify,
} from '#domain/verify.ts';
import type { AuthorizerConfig } from './authorizer-config.ts';

export type AuthorizerEvent =
  | APIGatewayTokenAuthorizerEvent
  | APIGatewayRequestAuthorizerEvent
  | APIGatewayRequestAuthorizerEventV2;

export interface SimpleResult {
  isAuthorized: boolean;
  context: Record<string, string>;
}
export type AuthorizerResult = APIGatewayAuthorizerResult | SimpleResult;

export interface AuthorizerDeps extends VerifyDeps {
  /** Told of every decision that reached a key (for usage counts); must not block. */
  readonly record?: (keyId: string, allowed: boolean, code: DecisionCode) => void;
  readonly observe: (decision: Decision, durationMs: number) => void;
  readonly fault: (error: unknown) => void;
}

/** Thrown for "not authenticated": API Gateway answers 401 for exactly this message. */
export const UNAUTHORIZED = 'Unauthorized';

interface Normalised {
  readonly format: 'token' | 'request' | 'http';
  readonly arn: MethodArn;
  readonly methodArn: string;
  readonly secret: string | undefined;
  readonly sourceIp: string | undefined;
  readonly headers: Record<string, string>;
  readonly pathParameters: Record<string, string | undefined>;
}

const lower = (headers: Record<string, string | undefined> | null | undefined) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
};

/** The secret from `Authorization: Bearer …` or `x-api-key`; a non-Bearer Authorization counts as malformed. */
export function secretFrom(headers: Record<string, string>): string | undefined {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (bearer) return bearer;
    if (!headers['x-api-key']) return authorization;
  }
  return headers['x-api-key']?.trim() || undefined;
}

function normalise(event: AuthorizerEvent): Normalised {
  if (event.type === 'TOKEN') {
    const token = event.authorizationToken?.trim() ?? '';
    const arn = parseMethodArn(event.methodArn);
    if (!arn) throw new Error('authorizer: the event has no valid methodArn');
    return {
      format: 'token',
      arn,
      methodArn: event.methodArn,
      secret: (/^Bearer\s+(\S+)$/i.exec(token)?.[1] ?? token) || undefined,
      sourceIp: undefined,
      headers: {},
      pathParameters: {},
    };
  }
  if ('version' in event && event.version === '2.0') {
    const arn = parseMethodArn(event.routeArn);
    if (!arn) throw new Error('authorizer: the event has no valid routeArn');
    const headers = lower(event.headers);
    return {
      format: 'http',
      arn: { ...arn, method: event.requestContext.http.method },
      methodArn: event.routeArn,
      secret: secretFrom(headers),
      sourceIp: event.requestContext.http.sourceIp,
      headers,
      pathParameters: event.pathParameters ?? {},
    };
  }
  const rest = event as APIGatewayRequestAuthorizerEvent;
  const arn = parseMethodArn(rest.methodArn);
  if (!arn) throw new Error('authorizer: the event has no valid methodArn');
  const headers = lower(rest.headers);
  return {
    format: 'request',
    arn,
    methodArn: rest.methodArn,
    secret: secretFrom(headers),
    sourceIp: rest.requestContext?.identity?.sourceIp,
    headers,
    pathParameters: rest.pathParameters ?? {},
  };
}

function workspaceOf(config: AuthorizerConfig, request: Normalised): string | null | undefined {
  const source = config.workspace;
  if (!source) return undefined;
  if (source.kind === 'fixed') return source.value;
  if (source.kind === 'header') return request.headers[source.name] || null;
  return request.pathParameters[source.name] || null;
}

/** What the backend sees of the caller: strings only, never the secret. */
export function keyContext(
  key: KeyRecord,
  permissions: readonly string[],
  code: DecisionCode,
): Record<string, string> {
  const scope = key.scope;
  return {
    keyId: key.keyId,
    name: key.name,
    owner: key.owner,
    type: key.type,
    roles: key.roles.join(','),
    permissions: permissions.join(','),
    ...('workspaceId' in scope
      ? { workspaceId: scope.workspaceId }
      : {
          organizationId: scope.organizationId,
          workspaceIds: scope.workspaceIds === '*' ? '*' : scope.workspaceIds.join(','),
        }),
    actor: keyActor(key),
    environment: key.environment,
    code,
  };
}

/**
 * One authorizer for REST TOKEN, REST REQUEST and HTTP API (2.0) events. Not authenticated:
 * throws "Unauthorized" (401). Authenticated: a policy covering every route of the API, so a
 * cached policy answers every route as a fresh check would (403 where it denies). A fault of
 * the store or the pepper throws something else, which API Gateway turns into a 500: never an
 * Allow, and never a Deny it could cache.
 */
export function createAuthorizer(deps: AuthorizerDeps, config: AuthorizerConfig) {
  return async (event: AuthorizerEvent): Promise<AuthorizerResult> => {
    const request = normalise(event);
    const started = performance.now();
    let decision: Decision;
    try {
      decision = await verify(
        {
          secret: request.secret,
          sourceIp: request.sourceIp,
          workspaceId: workspaceOf(config, request),
          required: requiredPermissions(config.routes, request.arn.method, request.arn.path),
        },
        deps,
      );
    } catch (error) {
      deps.fault(error);
      throw new Error('Authorizer fault: the key could not be checked');
    }
    deps.observe(decision, performance.now() - started);
    if (decision.key) deps.record?.(decision.key.keyId, decision.valid, decision.code);
    // API Gateway reads only the message; the code rides along for callers that can show it (/demo).
    if (!isAuthenticated(decision.code) || !decision.key)
      throw Object.assign(new Error(UNAUTHORIZED), { code: decision.code });

    const key = decision.key;
    const permissions = decision.permissions ?? [];
    const context = keyContext(key, permissions, decision.code);
    // Refusals that do not depend on the route deny everything; the rest is the route-aware policy.
    const routeIndependent = decision.code === 'IP_NOT_ALLOWED' || decision.code === 'WORKSPACE_NOT_ALLOWED';
    const policyDocument = routeIndependent
      ? denyAll(request.arn.prefix)
      : policyFor(config.routes, permissions, request.arn.prefix);

    if (request.format === 'http' && config.httpResponse === 'simple') {
      return { isAuthorized: !routeIndependent && policyAllows(policyDocument, request.methodArn), context };
    }
    return {
      principalId: key.keyId,
      policyDocument,
      context,
      ...(request.format !== 'http' && key.usageIdentifierKey
        ? { usageIdentifierKey: key.usageIdentifierKey }
        : {}),
    };
  };
}
