import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { sectionSchema } from '#domain/compliance/compliance-report.ts';
import { PORTAL_COOKIE } from '#domain/portal/portal-sessions.ts';
import { type ErrorCode, errorAnswerSchema } from '#domain/shared/errors.ts';
import { ERROR_STATUS } from '#platform/http/error-status.ts';
import { MANAGEMENT_ROUTES, PORTAL_ROUTES, READINESS_ROUTE } from '../routes.ts';
import { type Answer, OPERATIONS, type Operation, type Tag } from './operations.ts';

/**
 * The API's contract: an OpenAPI 3.1 document made from the route tables (every route, nothing
 * else) and, for each route, the zod schemas its handler validates with and answers in. Served
 * at GET /v1/openapi.json; the client package's types are generated from it.
 */

/** Who may call a route, and so how it authenticates and which refusals it can meet. */
type Audience = 'management' | 'public' | 'portal' | 'anyone';

interface RouteOf {
  readonly method: string;
  readonly path: string;
  readonly handler: keyof typeof OPERATIONS;
  readonly audience: Audience;
  /** The IAM grant (management) or the session's permissions (portal) the route needs. */
  readonly needs?: readonly string[];
  readonly localOnly?: boolean;
}

/** Every route the document describes: the management and portal route tables and the readiness probe. */
export function documentedRoutes(): RouteOf[] {
  return [
    ...MANAGEMENT_ROUTES.map(
      (r): RouteOf => ({
        method: r.method,
        path: r.path,
        handler: r.handler,
        audience: r.public ? 'public' : 'management',
        ...(r.permission ? { needs: [r.permission] } : {}),
        ...(r.localOnly ? { localOnly: true } : {}),
      }),
    ),
    ...PORTAL_ROUTES.map(
      (r): RouteOf => ({
        method: r.method,
        path: r.path,
        handler: r.handler,
        audience: r.path.startsWith('/portal/api/') ? 'portal' : 'anyone',
        ...(r.needs ? { needs: r.needs } : {}),
      }),
    ),
    { ...READINESS_ROUTE, audience: 'anyone' },
  ];
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'The request is malformed: a field, the query, a path parameter or a header. `details` names every bad field.',
  401: 'No valid credentials: locally, the admin token; in the portal, a live session cookie; on the leak endpoint, a valid GitHub signature.',
  403: 'Not allowed: in AWS, an IAM identity without the grant for this route (API Gateway answers); in the portal, a session without the permission, or a change from another origin.',
  404: 'No such resource (in the portal, also one outside the session).',
  409: 'In conflict with the current state.',
  412: 'If-Match names a version that is no longer current: fetch again and retry.',
  413: 'The request body is too large.',
  415: 'The body is not JSON (content-type: application/json).',
  422: 'Refused by a rule: the compliance policy, or an Idempotency-Key reused for another request.',
  429: 'Too many requests: in AWS, the stage throttling or the per-IP limit on a public route.',
  500: 'The service failed: nothing internal is said; `requestId` names the request.',
  503: 'A dependency is unavailable now; retry later.',
};
const RESPONSE_IDS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  412: 'PreconditionFailed',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableContent',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};
/** Codes a rotation under an Idempotency-Key answers beside the error codes of errors.ts. */
const ROTATION_CODES: Readonly<Record<number, readonly string[]>> = {
  409: ['ROTATION_IN_PROGRESS', 'ALREADY_ROTATED'],
};

const codesOf = (status: number) => [
  ...(Object.keys(ERROR_STATUS) as ErrorCode[]).filter((code) => ERROR_STATUS[code] === status),
  ...(ROTATION_CODES[status] ?? []),
];

const ERROR_EXAMPLES: Readonly<Record<number, unknown>> = {
  400: {
    error: {
      code: 'VALIDATION_FAILED',
      message:
        'invalid body: scope must be { "workspaceId" } or { "organizationId", "workspaceIds": [...] | "*" }',
      details: [
        {
          field: 'scope',
          message: 'must be { "workspaceId" } or { "organizationId", "workspaceIds": [...] | "*" }',
        },
      ],
    },
  },
  404: { error: { code: 'NOT_FOUND', message: 'key key_4fQ2bX9kLmN3pR7sT1vW8y not found' } },
  500: {
    error: { code: 'INTERNAL', message: 'internal error', requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' },
  },
};

/** One error status in the one error shape, made once and shared by every operation that can answer it. */
const errorResponses = new Map<number, ZodOpenApiResponseObject>();
function errorResponse(status: number): ZodOpenApiResponseObject {
  let response = errorResponses.get(status);
  if (!response) {
    const codes = codesOf(status);
    const example = ERROR_EXAMPLES[status];
    response = {
      id: RESPONSE_IDS[status],
      description: `${STATUS_TEXT[status]}${codes.length ? ` Codes: ${codes.join(', ')}.` : ''}`,
      content: { 'application/json': { schema: errorAnswerSchema, ...(example ? { example } : {}) } },
    };
    errorResponses.set(status, response);
  }
  return response;
}

/** The error statuses a route can answer: its audience's, its input's, and its own. */
export function errorStatuses(route: RouteOf, operation: Operation): number[] {
  const byAudience: Readonly<Record<Audience, readonly number[]>> = {
    management: [401, 403, 429],
    public: [429],
    portal: [401, 403],
    anyone: [],
  };
  const statuses = new Set<number>([
    500,
    ...byAudience[route.audience],
    ...(operation.body ? [400, 413, ...(operation.rawBody ? [] : [415])] : []),
    ...(operation.query || operation.path || operation.headers ? [400] : []),
    ...(operation.errors ?? []),
  ]);
  return [...statuses].sort((a, b) => a - b);
}

function answer(a: Answer): ZodOpenApiResponseObject {
  const content = {
    ...(a.body ? { 'application/json': { schema: a.body } } : {}),
    ...Object.fromEntries(Object.entries(a.alternatives ?? {}).map(([type, schema]) => [type, { schema }])),
  };
  return {
    description: a.description,
    ...(Object.keys(content).length ? { content } : {}),
    ...(a.headers ? { headers: a.headers } : {}),
  };
}

const SECURITY: Readonly<Record<Audience, ZodOpenApiOperationObject['security']>> = {
  management: [{ sigv4: [] }, { bearer: [] }],
  public: [],
  portal: [{ portalSession: [] }],
  anyone: [],
};

function operationOf(route: RouteOf): ZodOpenApiOperationObject {
  const op = OPERATIONS[route.handler];
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const a of [op.answer, ...(op.otherAnswers ?? [])]) responses[`${a.status}`] = answer(a);
  for (const status of errorStatuses(route, op)) responses[`${status}`] ??= errorResponse(status);
  const needs = route.needs?.length
    ? route.audience === 'portal'
      ? `The session must allow ${route.needs.join(' and ')}.`
      : `Granted under ${route.needs.join(', ')}.`
    : undefined;
  const description = [op.description, needs].filter(Boolean).join(' ');
  const params = {
    ...(op.path ? { path: op.path } : {}),
    ...(op.query ? { query: op.query } : {}),
    ...(op.headers ? { header: op.headers } : {}),
  };
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(description ? { description } : {}),
    tags: [op.tag],
    security: SECURITY[route.audience],
    ...(Object.keys(params).length ? { requestParams: params } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: !op.body.safeParse({}).success,
            content: {
              'application/json': {
                schema: op.body,
                ...(op.examples ? { examples: op.examples } : {}),
              },
            },
          },
        }
      : {}),
    responses: responses as ZodOpenApiResponsesObject,
    ...(route.needs && route.audience === 'management' ? { 'x-latchkey-permission': route.needs[0] } : {}),
    ...(route.needs && route.audience === 'portal' ? { 'x-latchkey-session-needs': route.needs } : {}),
    ...(route.localOnly ? { 'x-latchkey-local-only': true } : {}),
  };
}

const TAGS: readonly { name: Tag; description: string }[] = [
  { name: 'Keys', description: 'API keys: create, list, read, change, revoke, rotate, delete, import.' },
  { name: 'Usage', description: 'Requests per key and UTC day, allowed and refused.' },
  { name: 'Plans', description: 'Usage plans (rate limit, burst, quota) and what a key used of its quota.' },
  { name: 'Roles', description: 'Built-in and custom roles: named sets of permissions.' },
  { name: 'Audit', description: 'Who did what, when, field by field.' },
  { name: 'Verify', description: "The authorizer's decision, for backends that are not behind API Gateway." },
  { name: 'Rotation', description: 'The sweep that flags keys due for rotation and announces expiry.' },
  { name: 'Events', description: 'Lifecycle events (local server; EventBridge in AWS).' },
  { name: 'Leaks', description: 'Leaked secrets: reported by hand or by GitHub secret scanning.' },
  { name: 'Reports', description: 'The compliance report.' },
  { name: 'Pepper', description: 'The pepper the secrets are hashed with: versions, rotation, retirement.' },
  { name: 'Portal sessions', description: "Links to the self-service portal, made by the team's backend." },
  { name: 'Portal', description: "The portal page's API: the session cookie, never IAM." },
  { name: 'Service', description: 'The caller, readiness and this document.' },
];

const LOCAL_SERVER = { url: 'http://127.0.0.1:8787', description: 'The local server (`npm start`).' };

let built: ReturnType<typeof createDocument> | undefined;

/** The document (built once: the schemas do not change while the process runs). */
export function openApiDocument(): ReturnType<typeof createDocument> {
  built ??= build();
  return built;
}

function build() {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of documentedRoutes()) {
    const item = paths[route.path] ?? {};
    paths[route.path] = item;
    item[route.method.toLowerCase() as 'get'] = operationOf(route);
    if (route.audience === 'portal' || route.path.startsWith('/portal/'))
      item.servers = [
        LOCAL_SERVER,
        {
          url: 'https://{portalDomain}',
          description: "The portal's own origin in AWS.",
          variables: { portalDomain: { default: 'portal.example.com' } },
        },
      ];
  }
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Latchkey',
        version: '1',
        description:
          'Self-hosted API keys for APIs on AWS. The management API (keys, roles, usage, audit, rotation, leaks, pepper, portal links) and the portal API. In AWS the management API takes IAM-signed requests (SigV4); the local server takes its admin token as a bearer token. Every error answers `{ "error": { "code", "message", "details"?, "requestId"? } }`.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [
        LOCAL_SERVER,
        {
          url: 'https://{restApiId}.execute-api.{region}.amazonaws.com/v1',
          description: 'The management API in AWS: stage `v1`.',
          variables: {
            restApiId: { default: 'abc123defg' },
            region: { default: 'us-east-1' },
          },
        },
      ],
      tags: [...TAGS],
      paths,
      components: {
        // Named though no answer refers to it: the CSV's `section` column takes these values.
        schemas: { ComplianceSection: sectionSchema },
        securitySchemes: {
          sigv4: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description:
              'AWS Signature Version 4 (IAM), in AWS: sign each request for the `execute-api` service with credentials from the standard chain; the identity needs the grant for the route (api.key.view, .create, .update or .delete).',
            'x-amazon-apigateway-authtype': 'awsSigv4',
          },
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              "Locally: the local server's admin token (`npm start` prints it; it is kept in the data folder).",
          },
          portalSession: {
            type: 'apiKey',
            in: 'cookie',
            name: PORTAL_COOKIE.secure,
            description: `The portal session cookie, set by opening a portal link (GET /portal/enter). Over plain http (locally) it is \`${PORTAL_COOKIE.plain}\`. A change must come from the portal's own origin.`,
          },
        },
      },
    },
    {
      // zod writes an integer's bounds as the safe-integer range: true of every JSON integer, so noise.
      override: ({ jsonSchema }) => {
        if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
        if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
      },
    },
  );
}
