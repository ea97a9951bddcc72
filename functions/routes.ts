/**
 * The management API's routes, in one place: the CDK construct builds API Gateway resources and
 * per-permission grants from this table, and the local server routes requests with it, so both
 * call the same handler for the same method and path.
 */
export type ManagementPermission = 'api.key.create' | 'api.key.update' | 'api.key.delete' | 'api.key.view';

interface RouteBase<H extends string> {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** API Gateway resource path, with `{param}` segments. */
  readonly path: string;
  /** Module under functions/handlers/ exporting `handler`. */
  readonly handler: H;
  /** Served only by the local server (in AWS the same data lives in EventBridge). */
  readonly localOnly?: boolean;
}

export type RouteDef<H extends string = (typeof ROUTES)[number]['handler']> =
  | (RouteBase<H> & {
      /** The seeds' permission this route is granted under. */
      readonly permission: ManagementPermission;
      readonly public?: undefined;
    })
  | (RouteBase<H> & {
      /**
       * No IAM in AWS (`authorizationType: NONE`), no admin token locally: the handler
       * authenticates its callers itself (a signature), acts only on what its caller proves by
       * holding it (a reported secret), or the answer is for anyone. Granted to no one; throttled
       * on its own and per address (the WAF in AWS, the local server here).
       */
      readonly public: true;
      /** Why this route takes no IAM signature (what cdk-nag is told). */
      readonly publicBecause: string;
      readonly permission?: undefined;
    });

const ROUTES = [
  { method: 'POST', path: '/v1/keys', handler: 'keys-create', permission: 'api.key.create' },
  { method: 'GET', path: '/v1/keys', handler: 'keys-list', permission: 'api.key.view' },
  { method: 'GET', path: '/v1/keys/{keyId}', handler: 'keys-get', permission: 'api.key.view' },
  { method: 'PATCH', path: '/v1/keys/{keyId}', handler: 'keys-update', permission: 'api.key.update' },
  { method: 'POST', path: '/v1/keys/{keyId}/revoke', handler: 'keys-revoke', permission: 'api.key.delete' },
  { method: 'DELETE', path: '/v1/keys/{keyId}', handler: 'keys-delete', permission: 'api.key.delete' },
  { method: 'POST', path: '/v1/keys/{keyId}/rotate', handler: 'keys-rotate', permission: 'api.key.update' },
  { method: 'GET', path: '/v1/keys/{keyId}/usage', handler: 'keys-usage', permission: 'api.key.view' },
  { method: 'GET', path: '/v1/keys/{keyId}/requests', handler: 'keys-requests', permission: 'api.key.view' },
  { method: 'GET', path: '/v1/usage', handler: 'usage-overview', permission: 'api.key.view' },
  { method: 'GET', path: '/v1/keys/{keyId}/quota', handler: 'keys-quota', permission: 'api.key.view' },
  { method: 'GET', path: '/v1/plans', handler: 'plans-list', permission: 'api.key.view' },
  { method: 'GET', path: '/v1/audit', handler: 'audit-list', permission: 'api.key.view' },
  { method: 'POST', path: '/v1/verify', handler: 'verify', permission: 'api.key.view' },
  { method: 'GET', path: '/v1/roles', handler: 'roles-list', permission: 'api.key.view' },
  { method: 'POST', path: '/v1/roles', handler: 'roles-create', permission: 'api.key.create' },
  { method: 'GET', path: '/v1/roles/{name}', handler: 'roles-get', permission: 'api.key.view' },
  { method: 'PUT', path: '/v1/roles/{name}', handler: 'roles-put', permission: 'api.key.update' },
  { method: 'DELETE', path: '/v1/roles/{name}', handler: 'roles-delete', permission: 'api.key.delete' },
  { method: 'POST', path: '/v1/rotation/sweep', handler: 'rotation-sweep', permission: 'api.key.update' },
  { method: 'GET', path: '/v1/events', handler: 'events-list', permission: 'api.key.view', localOnly: true },
  { method: 'GET', path: '/v1/whoami', handler: 'whoami', permission: 'api.key.view' },
  { method: 'POST', path: '/v1/leaks', handler: 'leaks-report', permission: 'api.key.delete' },
  {
    method: 'POST',
    path: '/v1/leaks/github',
    handler: 'leaks-github',
    public: true,
    publicBecause:
      "it is GitHub's secret scanning partner endpoint: GitHub has no AWS identity, so every report is authenticated by its ECDSA signature (checked against GitHub's published keys before the body is read), and the method is throttled on its own.",
  },
  {
    method: 'GET',
    path: '/v1/reports/compliance',
    handler: 'reports-compliance',
    permission: 'api.key.view',
  },
  { method: 'POST', path: '/v1/keys/import', handler: 'keys-import', permission: 'api.key.create' },
  { method: 'POST', path: '/v1/keys/bulk', handler: 'keys-bulk', permission: 'api.key.delete' },
  {
    method: 'POST',
    path: '/v1/keys/{keyId}/extend-grace',
    handler: 'keys-extend-grace',
    permission: 'api.key.update',
  },
  {
    method: 'POST',
    path: '/v1/credentials/revoke',
    handler: 'credentials-revoke',
    public: true,
    publicBecause:
      "it is where anyone who found a Latchkey secret reports it, modelled on GitHub's public credential revocation API: it only ever revokes a secret its caller proves by holding it, answers the same 202 whatever was sent, reads nothing for garbage, and the method is throttled on its own.",
  },
  { method: 'GET', path: '/v1/pepper', handler: 'pepper-list', permission: 'api.key.view' },
  { method: 'POST', path: '/v1/pepper/rotate', handler: 'pepper-rotate', permission: 'api.key.update' },
  {
    method: 'POST',
    path: '/v1/pepper/versions/{version}/retire',
    handler: 'pepper-retire',
    permission: 'api.key.delete',
  },
  {
    method: 'POST',
    path: '/v1/portal/sessions',
    handler: 'portal-sessions-create',
    permission: 'api.key.create',
  },
  {
    method: 'DELETE',
    path: '/v1/portal/sessions/{sessionId}',
    handler: 'portal-sessions-delete',
    permission: 'api.key.delete',
  },
  {
    method: 'GET',
    path: '/v1/openapi.json',
    handler: 'openapi',
    public: true,
    publicBecause:
      "it answers the API's OpenAPI document, the same for every caller and made from the code: it holds no data and reads nothing.",
  },
] as const satisfies readonly RouteDef<string>[];

export const MANAGEMENT_ROUTES: readonly RouteDef[] = ROUTES;

/**
 * The portal's routes: the page's API (`/portal/api`, the session cookie, never IAM) and the
 * link's landing (`/portal/enter`). In AWS they are a REST API of their own behind the portal's
 * CloudFront distribution, so nothing in the portal's path can reach a management route.
 */
export interface PortalRouteDef<H extends string = string> {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly handler: H;
  /** What the session must allow (checked by the domain); none: any session, or none at all for the landing. */
  readonly needs?: readonly ManagementPermission[];
}

const PORTAL = [
  { method: 'GET', path: '/portal/enter', handler: 'portal-enter' },
  { method: 'GET', path: '/portal/api/session', handler: 'portal-session' },
  { method: 'POST', path: '/portal/api/logout', handler: 'portal-logout' },
  { method: 'GET', path: '/portal/api/keys', handler: 'portal-keys-list', needs: ['api.key.view'] },
  { method: 'POST', path: '/portal/api/keys', handler: 'portal-keys-create', needs: ['api.key.create'] },
  { method: 'GET', path: '/portal/api/keys/{keyId}', handler: 'portal-keys-get', needs: ['api.key.view'] },
  {
    method: 'PATCH',
    path: '/portal/api/keys/{keyId}',
    handler: 'portal-keys-update',
    needs: ['api.key.update'],
  },
  {
    method: 'DELETE',
    path: '/portal/api/keys/{keyId}',
    handler: 'portal-keys-delete',
    needs: ['api.key.delete'],
  },
  {
    method: 'POST',
    path: '/portal/api/keys/{keyId}/revoke',
    handler: 'portal-keys-revoke',
    needs: ['api.key.delete'],
  },
  {
    method: 'POST',
    path: '/portal/api/keys/{keyId}/rotate',
    handler: 'portal-keys-rotate',
    needs: ['api.key.create', 'api.key.delete'],
  },
  {
    method: 'GET',
    path: '/portal/api/keys/{keyId}/usage',
    handler: 'portal-keys-usage',
    needs: ['api.key.view'],
  },
] as const satisfies readonly PortalRouteDef[];

export const PORTAL_ROUTES: readonly PortalRouteDef<(typeof PORTAL)[number]['handler']>[] = PORTAL;

/**
 * The readiness probe: public, beside the management routes in AWS (a function and a cache of its
 * own), and served apart by the local server.
 */
export const READINESS_ROUTE = { method: 'GET', path: '/healthz', handler: 'healthz' } as const;

/** The handler module of each route, by name (functions/handlers/<name>.ts). */
export type RouteHandlerName = (typeof ROUTES)[number]['handler'] | (typeof PORTAL)[number]['handler'];

/** Modules under functions/handlers/ that serve no management route: what API Gateway and EventBridge call. */
export const OTHER_HANDLERS = [
  'authorizer',
  'credentials-check',
  'demo',
  'grace-check',
  'healthz',
  'pepper-rotation',
  'sweep-scheduled',
  'usage-ingest',
] as const;
export type HandlerName = RouteHandlerName | (typeof OTHER_HANDLERS)[number];

/** Matches a concrete path against a route template; the path parameters, or undefined. */
export function matchRoute(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const segment = t[i] as string;
    const value = p[i] as string;
    if (segment.startsWith('{') && segment.endsWith('}')) {
      if (value === '') return undefined;
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (segment !== value) return undefined;
  }
  return params;
}
