import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import type { AuthorizerConfig } from '#config/authorizer.ts';
import { type KeyRecord, keyActor } from '#domain/keys/key.ts';
import { parseSecret } from '#domain/keys/secret.ts';
import { hasPermission } from '#domain/roles/permissions.ts';
import type { TripSighting } from '#domain/shared/ports.ts';
import {
  type CheckedRequest,
  type CheckRecord,
  checkRecord,
  sightingOf,
} from '#domain/usage/check-record.ts';
import {
  denyAll,
  type MethodArn,
  type PolicyDocument,
  parseMethodArn,
  policyFor,
  requiredPermissions,
} from '#domain/verify/route-policy.ts';
import {
  type Decision,
  type DecisionCode,
  isAuthenticated,
  type VerifyDeps,
  verify,
} from '#domain/verify/verify.ts';
import type { CanaryAlarm } from '#platform/observability/canary-metric.ts';

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
  /** Told of every check that counts against its key (its secret was proven); must not block. */
  readonly record?: (check: CheckRecord) => void;
  /** Told of every check: its decision, its own time, and the request it decided. */
  readonly observe: (decision: Decision, durationMs: number, request: CheckedRequest) => void;
  /** Told of a fault (the store or the pepper failed); `keyId` once the secret names one. Never the secret. */
  readonly fault: (error: unknown, keyId: string | undefined) => void;
  /**
   * The `usageIdentifierKey` a REST answer carries for a key (usage plans): undefined for none,
   * `null` for a key with a plan whose API Gateway key is not ready, which is refused
   * (`USAGE_PLAN_PENDING`) rather than let through without its limit. @default the key's own
   */
  readonly usageIdentifier?: (key: KeyRecord) => Promise<string | undefined | null>;
  /** Told when a secret named a canary's key ID; must not block (the refusal is INVALID_SECRET either way). */
  readonly canary?: CanaryAlarm;
  /** Told of the same, for the canary's trip record (usage counting's path); must not block. */
  readonly trip?: (check: CheckRecord, sighting: TripSighting) => void;
}

/** Thrown for "not authenticated": API Gateway answers 401 for exactly this message. */
export const UNAUTHORIZED = 'Unauthorized';

/**
 * One request, decided once: its method and path, whatever the event format. REST events name
 * the request in `methodArn`. HTTP API events name the *route* in `routeArn` and `routeKey`
 * (`GET /orders/{orderId}`, `ANY /{proxy+}`, `$default`) and the request in
 * `requestContext.http.method` and `rawPath`: the route template would match the route map
 * wrongly, so the request is what is checked, and what the answer and the usage count say.
 */
interface Normalised {
  /** `token`/`request`: REST; `http`: HTTP API payload 2.0; `http1`: HTTP API payload 1.0. */
  readonly format: 'token' | 'request' | 'http' | 'http1';
  readonly arn: MethodArn;
  /** What API Gateway evaluates a returned policy against: the methodArn (REST) or the route's ARN (HTTP). */
  readonly methodArn: string;
  readonly secret: string | undefined;
  readonly sourceIp: string | undefined;
  readonly headers: Record<string, string>;
  readonly pathParameters: Record<string, string | undefined>;
  /**
   * The API's resource path for the request (`/orders/{orderId}`), where the event names one:
   * what usage counts routes by. A TOKEN event, and an HTTP API's `$default` route, name none.
   */
  readonly resource: string | undefined;
  readonly userAgent: string | undefined;
}

const lower = (headers: Record<string, string | undefined> | null | undefined) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
};

const LATCHKEY_PREFIX = /^lk_(live|test)_/;
/** Two different Latchkey keys in one request: never guess which is meant (parses as MALFORMED). */
const AMBIGUOUS = 'ambiguous: two different keys';

/**
 * The secret of a request. With a configured key header (`LATCHKEY_KEY_HEADER`), that header
 * only. Otherwise `Authorization: Bearer …` or `x-api-key`; when both are sent (a user's token
 * beside the key, say), the one value that carries a Latchkey prefix (`lk_live_`/`lk_test_`).
 */
export function secretFrom(headers: Record<string, string>, keyHeader?: string): string | undefined {
  const authorization = headers.authorization?.trim() || undefined;
  const bearer = authorization ? (/^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? authorization) : undefined;
  const apiKey = headers['x-api-key']?.trim() || undefined;
  if (keyHeader) {
    const name = keyHeader.toLowerCase();
    return name === 'authorization' ? bearer : headers[name]?.trim() || undefined;
  }
  if (!bearer || !apiKey || bearer === apiKey) return bearer ?? apiKey;
  const [a, x] = [LATCHKEY_PREFIX.test(bearer), LATCHKEY_PREFIX.test(apiKey)];
  if (a && x) return AMBIGUOUS;
  if (x) return apiKey;
  // Neither is a Latchkey key: a Bearer value is checked (and refused), else the x-api-key.
  return authorization?.match(/^Bearer\s/i) || a ? bearer : apiKey;
}

/** `rawPath` without a named stage in front (HTTP APIs put it there; `$default` has none). */
function requestPath(rawPath: string | undefined, stage: string | undefined): string {
  const path = rawPath || '/';
  if (!stage || stage === '$default') return path;
  if (path === `/${stage}`) return '/';
  return path.startsWith(`/${stage}/`) ? path.slice(stage.length + 1) : path;
}

function normalise(event: AuthorizerEvent, config: AuthorizerConfig): Normalised {
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
      resource: undefined,
      userAgent: undefined,
    };
  }
  if ('version' in event && event.version === '2.0') {
    const arn = parseMethodArn(event.routeArn);
    if (!arn) throw new Error('authorizer: the event has no valid routeArn');
    const headers = lower(event.headers);
    return {
      format: 'http',
      arn: {
        prefix: arn.prefix,
        method: event.requestContext.http.method,
        path: requestPath(event.rawPath, event.requestContext.stage),
      },
      methodArn: event.routeArn,
      secret: secretFrom(headers, config.keyHeader),
      sourceIp: event.requestContext.http.sourceIp,
      headers,
      pathParameters: event.pathParameters ?? {},
      resource: event.routeKey === '$default' ? undefined : event.routeKey?.split(' ')[1],
      userAgent: headers['user-agent'] ?? event.requestContext.http.userAgent,
    };
  }
  const rest = event as APIGatewayRequestAuthorizerEvent & { version?: string };
  const arn = parseMethodArn(rest.methodArn);
  if (!arn) throw new Error('authorizer: the event has no valid methodArn');
  const headers = lower(rest.headers);
  const http1 = rest.version === '1.0';
  return {
    format: http1 ? 'http1' : 'request',
    // An HTTP API's 1.0 event names the route in methodArn, the request in httpMethod and path.
    arn: http1 ? { prefix: arn.prefix, method: rest.httpMethod, path: rest.path || '/' } : arn,
    methodArn: rest.methodArn,
    secret: secretFrom(headers, config.keyHeader),
    sourceIp: rest.requestContext?.identity?.sourceIp,
    headers,
    pathParameters: rest.pathParameters ?? {},
    resource: rest.resource && rest.resource !== '$default' ? rest.resource : undefined,
    userAgent: headers['user-agent'] ?? rest.requestContext?.identity?.userAgent ?? undefined,
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
    ...(key.plan ? { plan: key.plan } : {}),
    code,
  };
}

/** The check's own deadline: past it the check is a fault, reported before Lambda's timeout could cut it. */
async function withDeadline<T>(check: Promise<T>, deadlineMs: number | undefined): Promise<T> {
  if (deadlineMs === undefined) return check;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`the check took longer than ${deadlineMs} ms`), {
            name: 'CheckDeadlineExceeded',
          }),
        ),
      deadlineMs,
    );
  });
  try {
    return await Promise.race([check, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Allow or Deny exactly one ARN: an HTTP API evaluates the policy against the route it matched. */
const only = (effect: 'Allow' | 'Deny', arn: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: [arn] }],
});

/**
 * One authorizer for REST TOKEN and REQUEST events and HTTP API events (payload 2.0 and 1.0).
 * Every answer is the decision on one request (its method and path), and usage counts that
 * decision.
 *
 * REST: not authenticated throws "Unauthorized" (401); authenticated gets a policy covering
 * every route of the API, so a cached policy answers every route as a fresh check would (403
 * where it denies). HTTP APIs answer any thrown error with 500, so they never get a throw for a
 * refusal: `isAuthorized: false` (403) with the code in the context, or, for IAM-policy answers,
 * a Deny of the route. A fault of the store or the pepper throws something else, which API
 * Gateway turns into a 500: never an Allow, and never a Deny it could cache.
 */
export function createAuthorizer(deps: AuthorizerDeps, config: AuthorizerConfig) {
  return async (event: AuthorizerEvent): Promise<AuthorizerResult> => {
    const request = normalise(event, config);
    const started = performance.now();
    const required = requiredPermissions(config.routes, request.arn.method, request.arn.path);
    let decision: Decision;
    try {
      decision = await withDeadline(
        verify(
          {
            secret: request.secret,
            sourceIp: request.sourceIp,
            workspaceId: workspaceOf(config, request),
            required,
          },
          deps,
        ),
        config.deadlineMs,
      );
    } catch (error) {
      const parsed = request.secret ? parseSecret(request.secret) : undefined;
      deps.fault(error, parsed?.ok ? parsed.keyId : undefined);
      throw new Error('Authorizer fault: the key could not be checked');
    }
    const durationMs = performance.now() - started;
    const checked: CheckedRequest = {
      method: request.arn.method,
      path: request.resource ?? request.arn.path,
      sourceIp: request.sourceIp,
      userAgent: request.userAgent,
      // arn:aws:execute-api:<region>:…: the Region of the API this check guarded.
      region: request.arn.prefix.split(':')[3],
    };
    deps.observe(decision, durationMs, checked);
    let bounded: CheckRecord | undefined;
    /** The check's record under `keyId`, bounded once for the trip and the count alike. */
    const checkFor = (keyId: string): CheckRecord => {
      bounded ??= checkRecord(keyId, deps.now(), decision.code, checked, durationMs);
      return { ...bounded, keyId };
    };
    if (!decision.valid && decision.canary) {
      // The request's own path, not the route's resource path: where exactly the canary was tried.
      const sighting = sightingOf({
        method: request.arn.method,
        path: request.arn.path,
        sourceIp: request.sourceIp,
      });
      deps.canary?.(decision.canary, {
        sourceIp: request.sourceIp,
        userAgent: request.userAgent,
        route: sighting.route,
      });
      deps.trip?.(checkFor(decision.canary.keyId), sighting);
    }
    if (decision.key && deps.record) deps.record(checkFor(decision.key.keyId));
    const authenticated = isAuthenticated(decision.code) && decision.key !== undefined;
    // What the checked request needed and the key lacks, so a 403 can name it.
    const missing: Record<string, string> =
      decision.code === 'INSUFFICIENT_PERMISSIONS'
        ? {
            missingPermissions: required
              .filter((p) => !hasPermission(decision.permissions ?? [], p))
              .join(','),
          }
        : {};

    if (request.format === 'http' || request.format === 'http1') {
      const context: Record<string, string> = authenticated
        ? { ...keyContext(decision.key as KeyRecord, decision.permissions ?? [], decision.code), ...missing }
        : { code: decision.code };
      if (request.format === 'http' && config.httpResponse === 'simple') {
        return { isAuthorized: decision.valid, context };
      }
      return {
        principalId: decision.key?.keyId ?? 'anonymous',
        policyDocument: only(decision.valid ? 'Allow' : 'Deny', request.methodArn),
        context,
      };
    }

    // API Gateway reads only the message; the code rides along for callers that can show it (/demo).
    if (!authenticated || !decision.key)
      throw Object.assign(new Error(UNAUTHORIZED), { code: decision.code });
    const key = decision.key;
    const permissions = decision.permissions ?? [];
    // Refusals that do not depend on the route deny everything; the rest is the route-aware policy.
    const routeIndependent = decision.code === 'IP_NOT_ALLOWED' || decision.code === 'WORKSPACE_NOT_ALLOWED';
    let usageKey: string | undefined | null = key.usageIdentifierKey;
    try {
      if (deps.usageIdentifier) usageKey = await deps.usageIdentifier(key);
    } catch (error) {
      deps.fault(error, key.keyId);
      throw new Error('Authorizer fault: the key could not be checked');
    }
    if (usageKey === null) {
      return {
        principalId: key.keyId,
        policyDocument: denyAll(request.arn.prefix),
        context: { ...keyContext(key, permissions, decision.code), code: 'USAGE_PLAN_PENDING' },
      };
    }
    return {
      principalId: key.keyId,
      policyDocument: routeIndependent
        ? denyAll(request.arn.prefix)
        : policyFor(config.routes, permissions, request.arn.prefix),
      context: { ...keyContext(key, permissions, decision.code), ...missing },
      ...(usageKey ? { usageIdentifierKey: usageKey } : {}),
    };
  };
}
