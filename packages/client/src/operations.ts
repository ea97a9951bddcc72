import type { operations, paths } from './types.ts';

/**
 * Where each operation of the API lives: its method and path template. The types come from the
 * OpenAPI document (types.ts); this table is the only runtime copy, and the compiler holds each
 * entry to the document: `ROUTES.createKey` must be a method and path whose operation in `paths`
 * is `operations['createKey']`.
 */
export type OperationId = keyof operations;

type Verb = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Every [METHOD, path] of `paths` whose operation is exactly `operations[Id]`. */
type RouteOf<Id extends OperationId> = {
  [P in keyof paths]: {
    [V in Verb]: paths[P][V] extends operations[Id]
      ? operations[Id] extends paths[P][V]
        ? readonly [Uppercase<V>, P]
        : never
      : never;
  }[Verb];
}[keyof paths];

export const ROUTES: { readonly [Id in OperationId]: RouteOf<Id> } = {
  listKeys: ['GET', '/v1/keys'],
  createKey: ['POST', '/v1/keys'],
  getKey: ['GET', '/v1/keys/{keyId}'],
  updateKey: ['PATCH', '/v1/keys/{keyId}'],
  deleteKey: ['DELETE', '/v1/keys/{keyId}'],
  revokeKey: ['POST', '/v1/keys/{keyId}/revoke'],
  rotateKey: ['POST', '/v1/keys/{keyId}/rotate'],
  getKeyUsage: ['GET', '/v1/keys/{keyId}/usage'],
  listKeyRequests: ['GET', '/v1/keys/{keyId}/requests'],
  getKeyQuota: ['GET', '/v1/keys/{keyId}/quota'],
  importKeys: ['POST', '/v1/keys/import'],
  bulkKeys: ['POST', '/v1/keys/bulk'],
  extendGrace: ['POST', '/v1/keys/{keyId}/extend-grace'],
  revokeCredentials: ['POST', '/v1/credentials/revoke'],
  getUsageOverview: ['GET', '/v1/usage'],
  listPlans: ['GET', '/v1/plans'],
  listAudit: ['GET', '/v1/audit'],
  verifyKey: ['POST', '/v1/verify'],
  listRoles: ['GET', '/v1/roles'],
  createRole: ['POST', '/v1/roles'],
  getRole: ['GET', '/v1/roles/{name}'],
  putRole: ['PUT', '/v1/roles/{name}'],
  deleteRole: ['DELETE', '/v1/roles/{name}'],
  runRotationSweep: ['POST', '/v1/rotation/sweep'],
  listEvents: ['GET', '/v1/events'],
  whoAmI: ['GET', '/v1/whoami'],
  reportLeak: ['POST', '/v1/leaks'],
  reportGitHubLeaks: ['POST', '/v1/leaks/github'],
  getComplianceReport: ['GET', '/v1/reports/compliance'],
  listPepperVersions: ['GET', '/v1/pepper'],
  rotatePepper: ['POST', '/v1/pepper/rotate'],
  retirePepperVersion: ['POST', '/v1/pepper/versions/{version}/retire'],
  createPortalSession: ['POST', '/v1/portal/sessions'],
  deletePortalSession: ['DELETE', '/v1/portal/sessions/{sessionId}'],
  getOpenApiDocument: ['GET', '/v1/openapi.json'],
  getHealth: ['GET', '/healthz'],
  enterPortal: ['GET', '/portal/enter'],
  getPortalSession: ['GET', '/portal/api/session'],
  logoutPortal: ['POST', '/portal/api/logout'],
  listPortalKeys: ['GET', '/portal/api/keys'],
  createPortalKey: ['POST', '/portal/api/keys'],
  getPortalKey: ['GET', '/portal/api/keys/{keyId}'],
  updatePortalKey: ['PATCH', '/portal/api/keys/{keyId}'],
  deletePortalKey: ['DELETE', '/portal/api/keys/{keyId}'],
  revokePortalKey: ['POST', '/portal/api/keys/{keyId}/revoke'],
  rotatePortalKey: ['POST', '/portal/api/keys/{keyId}/rotate'],
  getPortalKeyUsage: ['GET', '/portal/api/keys/{keyId}/usage'],
};

type Parameters<Id extends OperationId> = operations[Id]['parameters'];
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** The request body an operation takes (never when it takes none). */
export type Body<Id extends OperationId> = operations[Id] extends { requestBody?: infer R }
  ? JsonOf<NonNullable<R>>
  : never;
/** An operation's query parameters. */
export type Query<Id extends OperationId> = NonNullable<Parameters<Id>['query']>;

type SuccessStatus = 200 | 201 | 202 | 204 | 303;
type ContentOf<R> = R extends { content: infer C } ? C[keyof C] : undefined;

/** What an operation answers on success: its JSON body (text for CSV), undefined for 204. */
export type Answer<Id extends OperationId> = {
  [S in Extract<keyof operations[Id]['responses'], SuccessStatus>]: ContentOf<operations[Id]['responses'][S]>;
}[Extract<keyof operations[Id]['responses'], SuccessStatus>];

type BodyInput<Id extends OperationId> = operations[Id] extends { requestBody: infer R }
  ? { body: JsonOf<R> }
  : operations[Id] extends { requestBody?: infer R }
    ? [NonNullable<R>] extends [never]
      ? { body?: never }
      : { body?: JsonOf<NonNullable<R>> }
    : { body?: never };

/** A request to an operation: its path, query and header parameters as the document names them, and its body. */
export type Input<Id extends OperationId> = {
  [K in keyof Parameters<Id> as K extends 'cookie' ? never : K]: Parameters<Id>[K];
} & BodyInput<Id>;

/** The arguments of `call(id, …)`: the input may be left out when nothing in it is required. */
export type InputArgs<Id extends OperationId> =
  // biome-ignore lint/complexity/noBannedTypes: `{}` is "nothing required" here
  {} extends Input<Id> ? [input?: Input<Id>] : [input: Input<Id>];
