import { readSettings, settings } from '#config/settings.ts';
import { DEFAULT_METHOD_PERMISSIONS, parseRouteMap, type RouteMap } from '#domain/verify/route-policy.ts';
import { parseWorkspaceSource, type WorkspaceSource } from '#domain/verify/workspace-source.ts';

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

/**
 * The authorizer's settings, checked at init: this process's, or (for tests and the bench) those
 * of an environment given here.
 */
export function authorizerConfig(env?: Readonly<Record<string, string | undefined>>): AuthorizerConfig {
  const config = env ? readSettings(env) : settings();
  const defaults = parseJsonObject('LATCHKEY_DEFAULT_PERMISSIONS', config.LATCHKEY_DEFAULT_PERMISSIONS);
  return {
    routes: parseRouteMap(
      parseJsonObject('LATCHKEY_ROUTE_PERMISSIONS', config.LATCHKEY_ROUTE_PERMISSIONS) ?? {},
      defaults ? { ...DEFAULT_METHOD_PERMISSIONS, ...defaults } : DEFAULT_METHOD_PERMISSIONS,
    ),
    workspace: parseWorkspaceSource(config.LATCHKEY_WORKSPACE_SOURCE),
    httpResponse: config.LATCHKEY_HTTP_API_RESPONSE,
    keyHeader: config.LATCHKEY_KEY_HEADER?.trim() || undefined,
    deadlineMs: config.LATCHKEY_CHECK_DEADLINE_MS,
  };
}
