import { DEFAULT_METHOD_PERMISSIONS, parseRouteMap, type RouteMap } from '#domain/verify/route-policy.ts';

/**
 * Where a protected API's workspace comes from: fixed for the whole API, a request header, or a
 * path parameter. `undefined` means the API does not check workspaces.
 */
export type WorkspaceSource =
  | { readonly kind: 'fixed'; readonly value: string }
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'path'; readonly name: string };

export function parseWorkspaceSource(raw: string | undefined): WorkspaceSource | undefined {
  if (!raw) return undefined;
  const match = /^(fixed|header|path):(.+)$/.exec(raw.trim());
  if (!match)
    throw new Error(
      `configuration: LATCHKEY_WORKSPACE_SOURCE must be fixed:<id>, header:<name> or path:<name>, got "${raw}"`,
    );
  const kind = match[1] as WorkspaceSource['kind'];
  const value = match[2] as string;
  return kind === 'fixed' ? { kind, value } : { kind, name: kind === 'header' ? value.toLowerCase() : value };
}

function parseJsonObject(name: string, raw: string | undefined): Record<string, string> | undefined {
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`configuration: ${name} must be a JSON object`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`configuration: ${name} must be a JSON object`);
  }
  return value as Record<string, string>;
}

export interface AuthorizerConfig {
  readonly routes: RouteMap;
  readonly workspace: WorkspaceSource | undefined;
  /** HTTP API responses: `simple` ({ isAuthorized }) or `iam` (a policy document). */
  readonly httpResponse: 'simple' | 'iam';
  /** The one header the key is read from; undefined: `Authorization: Bearer` or `x-api-key`. */
  readonly keyHeader: string | undefined;
  /** A check still running after this long fails closed as a fault; undefined: no deadline. */
  readonly deadlineMs: number | undefined;
}

function parseDeadline(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 100 || value > 900_000) {
    throw new Error(
      `configuration: LATCHKEY_CHECK_DEADLINE_MS must be an integer from 100 to 900000, got "${raw}"`,
    );
  }
  return value;
}

export function authorizerConfig(env: NodeJS.ProcessEnv = process.env): AuthorizerConfig {
  const defaults = parseJsonObject('LATCHKEY_DEFAULT_PERMISSIONS', env.LATCHKEY_DEFAULT_PERMISSIONS);
  const httpResponse = env.LATCHKEY_HTTP_API_RESPONSE ?? 'simple';
  if (httpResponse !== 'simple' && httpResponse !== 'iam') {
    throw new Error('configuration: LATCHKEY_HTTP_API_RESPONSE must be "simple" or "iam"');
  }
  return {
    routes: parseRouteMap(
      parseJsonObject('LATCHKEY_ROUTE_PERMISSIONS', env.LATCHKEY_ROUTE_PERMISSIONS) ?? {},
      defaults ? { ...DEFAULT_METHOD_PERMISSIONS, ...defaults } : DEFAULT_METHOD_PERMISSIONS,
    ),
    workspace: parseWorkspaceSource(env.LATCHKEY_WORKSPACE_SOURCE),
    httpResponse,
    keyHeader: env.LATCHKEY_KEY_HEADER?.trim() || undefined,
    deadlineMs: parseDeadline(env.LATCHKEY_CHECK_DEADLINE_MS),
  };
}

/** How long one AWS SDK call may take: per attempt (connect, then answer) and how many attempts. */
export interface ClientBounds {
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
}

/**
 * The authorizer's DynamoDB and Secrets Manager clients (set by the CDK construct, 5 s Lambda
 * timeout): a slow or unreachable service fails the check within `worstCaseCallMs` (2.7 s),
 * so the fault is caught, logged and counted long before Lambda would kill the invocation.
 */
export const AUTHORIZER_CLIENT_BOUNDS: ClientBounds = {
  connectionTimeoutMs: 250,
  requestTimeoutMs: 600,
  maxAttempts: 2,
};

/**
 * The most the SDK's standard retry waits before its first retry: its throttling base delay
 * (1 s in this SDK; other errors 50 ms), jittered below it, doubling per further retry.
 */
const SDK_RETRY_DELAY_MS = 1_000;

/**
 * The deadline of one check (set by the CDK construct with the bounds above). One slow call ends
 * inside it on its own (`worstCaseCallMs`); a check that makes two in a row (the key, then its
 * custom roles) is cut here, leaving 1.5 s of the 5 s to log, count and answer.
 */
export const AUTHORIZER_CHECK_DEADLINE_MS = 3_500;

/** The longest one call can take when every attempt times out. */
export function worstCaseCallMs(bounds: ClientBounds): number {
  let total = 0;
  for (let attempt = 0; attempt < bounds.maxAttempts; attempt++) {
    total += bounds.connectionTimeoutMs + bounds.requestTimeoutMs;
    if (attempt > 0) total += SDK_RETRY_DELAY_MS * 2 ** (attempt - 1);
  }
  return total;
}
