import { hasPermission } from '#domain/roles/permissions.ts';

/**
 * Which permissions a route of a protected API needs, and the IAM policy that says the same for
 * every route at once.
 *
 * A route map rule is "METHOD /path" → permission. `*` in the path matches any characters,
 * slashes included (as in an IAM resource ARN); METHOD may be `*` or `ANY`. A request needs the
 * permission of every rule that matches it; when none matches, it needs its method's default
 * (GET, HEAD, OPTIONS: `api:read`; the rest: `api:write`).
 *
 * The Allow policy lists every rule and method default the key is granted, and Denies every
 * rule it is not. IAM's "an explicit Deny wins" is exactly "every matching rule is needed", so a
 * policy cached for one route gives the same answer as a fresh check on any other route.
 */
export interface RouteRule {
  readonly method: string;
  readonly pattern: string;
  readonly permission: string;
}

export interface RouteMap {
  readonly rules: readonly RouteRule[];
  readonly defaults: Readonly<Record<string, string>>;
}

export const DEFAULT_METHOD_PERMISSIONS: Readonly<Record<string, string>> = {
  GET: 'api:read',
  HEAD: 'api:read',
  OPTIONS: 'api:read',
  POST: 'api:write',
  PUT: 'api:write',
  PATCH: 'api:write',
  DELETE: 'api:write',
};

const METHODS = Object.keys(DEFAULT_METHOD_PERMISSIONS);

/** Parses `{"GET /orders/*": "orders:read"}`; throws naming the bad entry. */
export function parseRouteMap(raw: Record<string, string>, defaults = DEFAULT_METHOD_PERMISSIONS): RouteMap {
  const rules = Object.entries(raw).map(([route, permission]) => {
    const match = /^(\*|ANY|[A-Z]+)\s+(\/\S*)$/.exec(route.trim());
    if (!match || (match[1] !== '*' && match[1] !== 'ANY' && !METHODS.includes(match[1] as string))) {
      throw new Error(
        `route map: "${route}" must be "METHOD /path" (METHOD one of ${METHODS.join(', ')}, * or ANY)`,
      );
    }
    if (typeof permission !== 'string' || permission.length === 0) {
      throw new Error(`route map: "${route}" needs a permission string`);
    }
    return {
      method: match[1] === 'ANY' ? '*' : (match[1] as string),
      pattern: match[2] as string,
      permission,
    };
  });
  return { rules, defaults };
}

/** IAM-style wildcard match: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

export function requiredPermissions(map: RouteMap, method: string, path: string): string[] {
  const matching = map.rules.filter(
    (rule) => (rule.method === '*' || rule.method === method) && wildcardMatch(rule.pattern, path),
  );
  if (matching.length) return [...new Set(matching.map((rule) => rule.permission))];
  const fallback = map.defaults[method];
  // An unknown method with no rule needs a permission nobody is granted by accident.
  return [fallback ?? `api:${method.toLowerCase()}`];
}

/** `arn:aws:execute-api:region:account:apiId/stage/METHOD/path…`, parsed. */
export interface MethodArn {
  readonly prefix: string;
  readonly method: string;
  readonly path: string;
}

export function parseMethodArn(arn: string): MethodArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'execute-api') return undefined;
  const resource = parts.slice(5).join(':');
  const [apiId, stage, method, ...path] = resource.split('/');
  if (!apiId || !stage || !method) return undefined;
  return { prefix: `${parts.slice(0, 5).join(':')}:${apiId}/${stage}`, method, path: `/${path.join('/')}` };
}

export interface PolicyStatement {
  readonly Action: 'execute-api:Invoke';
  readonly Effect: 'Allow' | 'Deny';
  readonly Resource: string[];
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatement[];
}

const resourceFor = (prefix: string, method: string, pattern: string) =>
  `${prefix}/${method}/${pattern.slice(1)}`;

/** The policy for a key with these permissions on every route of the API behind `prefix`. */
export function policyFor(map: RouteMap, permissions: readonly string[], prefix: string): PolicyDocument {
  const allow: string[] = [];
  const deny: string[] = [];
  for (const [method, permission] of Object.entries(map.defaults)) {
    if (hasPermission(permissions, permission)) allow.push(resourceFor(prefix, method, '/*'));
  }
  for (const rule of map.rules) {
    (hasPermission(permissions, rule.permission) ? allow : deny).push(
      resourceFor(prefix, rule.method, rule.pattern),
    );
  }
  const statements: PolicyStatement[] = [];
  if (allow.length) statements.push({ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: allow });
  if (deny.length) statements.push({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: deny });
  return { Version: '2012-10-17', Statement: statements };
}

export function denyAll(prefix: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${prefix}/*`] }],
  };
}

/** API Gateway's reading of a policy for one method ARN: a matching Deny wins, then a matching Allow. */
export function policyAllows(policy: PolicyDocument, methodArn: string): boolean {
  const matches = (s: PolicyStatement) => s.Resource.some((resource) => wildcardMatch(resource, methodArn));
  if (policy.Statement.some((s) => s.Effect === 'Deny' && matches(s))) return false;
  return policy.Statement.some((s) => s.Effect === 'Allow' && matches(s));
}
