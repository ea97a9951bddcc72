import { z } from 'zod';
import { auditPageSchema } from '#domain/audit/audit-entry.ts';
import { bulkAnswer, bulkBody } from '#domain/bulk/bulk-schemas.ts';
import { complianceQuery, complianceReportSchema } from '#domain/compliance/compliance-report.ts';
import { eventPageSchema } from '#domain/events/event-answers.ts';
import {
  apiKeySchema,
  createdKeySchema,
  keyDetailSchema,
  keyPageSchema,
  rotatedKeySchema,
} from '#domain/keys/key-answers.ts';
import { importKeysBody, importResultSchema } from '#domain/keys/key-import.ts';
import {
  githubFeedbackSchema,
  githubLeakReport,
  leakReportBody,
  leakReportResultSchema,
} from '#domain/leak/leak-schemas.ts';
import { credentialsRevokeAnswer, credentialsRevokeBody } from '#domain/leak/public-report.ts';
import {
  pepperListSchema,
  pepperRetirementSchema,
  pepperRotationSchema,
  pepperVersionPath,
} from '#domain/pepper/pepper-service.ts';
import { planListSchema } from '#domain/plans/plans.ts';
import { keyQuotaSchema } from '#domain/plans/quota-service.ts';
import {
  createPortalSessionBody,
  enterQuery,
  portalCreateKeyBody,
  portalKeyPath,
  portalListQuery,
  portalSessionPath,
} from '#domain/portal/portal-schemas.ts';
import { portalLinkSchema, portalSessionViewSchema } from '#domain/portal/portal-sessions.ts';
import { roleListSchema, roleSchema } from '#domain/roles/role-service.ts';
import { extendGraceBody } from '#domain/rotation/grace-watch.ts';
import { sweepResultSchema } from '#domain/rotation/rotation-sweep.ts';
import { healthSchema, whoAmISchema } from '#domain/shared/answers.ts';
import {
  auditQuery,
  createKeyBody,
  createRoleBody,
  emptyBody,
  eventsQuery,
  keyPath,
  listKeysQuery,
  putRoleBody,
  roleNamePath,
  rotateBody,
  sweepBody,
  updateKeyBody,
  usageOverviewQuery,
  usageQuery,
  verifyBody,
} from '#domain/shared/schemas.ts';
import { requestsCsvSchema, requestsPageSchema, requestsQuery } from '#domain/usage/requests-api.ts';
import { keyUsageSchema, usageOverviewSchema } from '#domain/usage/usage-answers.ts';
import { verifyAnswerSchema } from '#domain/verify/verify-answer.ts';
import type { RouteHandlerName } from '../routes.ts';

/**
 * Every operation of the API, by the handler that serves it: what it takes (the very schemas the
 * handler validates with, which test/unit/contract-schemas.test.ts holds) and what it answers. The document (openapi.ts) walks the route tables
 * and looks each route's handler up here, so a route without an entry does not compile.
 */
export type Tag =
  | 'Keys'
  | 'Usage'
  | 'Plans'
  | 'Roles'
  | 'Audit'
  | 'Verify'
  | 'Rotation'
  | 'Events'
  | 'Leaks'
  | 'Reports'
  | 'Pepper'
  | 'Portal sessions'
  | 'Portal'
  | 'Service';

/** The error statuses an operation answers beyond those every operation of its kind does (see openapi.ts). */
export type ErrorStatus = 401 | 404 | 409 | 412 | 422 | 503;

export interface Answer {
  readonly status: 200 | 201 | 202 | 204 | 303 | 401 | 503;
  readonly description: string;
  /** The JSON body; none for 204 and 303. */
  readonly body?: z.ZodType;
  /** Other media types the same status may answer in (`text/csv`). */
  readonly alternatives?: Readonly<Record<string, z.ZodType>>;
  readonly headers?: z.ZodObject;
}

export interface Operation {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: Tag;
  readonly body?: z.ZodType;
  /** The body is read as it was signed (no content-type check): no 415. */
  readonly rawBody?: true;
  readonly query?: z.ZodObject;
  readonly path?: z.ZodObject;
  readonly headers?: z.ZodObject;
  readonly answer: Answer;
  /** Answers of other statuses that are not errors (a 200 replay beside a 201, a 503 of the probe). */
  readonly otherAnswers?: readonly Answer[];
  readonly errors?: readonly ErrorStatus[];
  /** Request examples, by name. */
  readonly examples?: Readonly<Record<string, { summary: string; value: unknown }>>;
}

const header = (description: string) => z.string().meta({ description });
const etag = header('The version, quoted ("3"): give it back in If-Match.');
const location = header('Where the new resource is.');
const ifMatch = z.object({
  'If-Match': z
    .string()
    .optional()
    .meta({ description: 'The version the change is made over ("3"): a 412 if it is no longer current.' }),
});

/** The key answers the management API and the portal share. */
const ANSWERS = {
  created: {
    status: 201,
    description: 'The key and its secret.',
    body: createdKeySchema,
    headers: z.object({ Location: location, ETag: etag }),
  },
  key: { status: 200, description: 'The key.', body: apiKeySchema, headers: z.object({ ETag: etag }) },
  changed: {
    status: 200,
    description: 'The key as changed.',
    body: apiKeySchema,
    headers: z.object({ ETag: etag }),
  },
  revoked: { status: 200, description: 'The revoked key.', body: apiKeySchema },
  rotated: {
    status: 201,
    description: 'The new key with its secret, and the old key.',
    body: rotatedKeySchema,
    headers: z.object({ Location: location }),
  },
  usage: {
    status: 200,
    description:
      'The window, day by day and in all: checks, refusals by code, latency, top routes and addresses.',
    body: keyUsageSchema,
  },
} as const satisfies Record<string, Answer>;

const KEY_BODY = { scope: { workspaceId: 'ws-1' }, roles: ['read'], name: 'billing-service', owner: 'alice' };

export const OPERATIONS: Readonly<Record<RouteHandlerName | 'healthz', Operation>> = {
  'keys-create': {
    operationId: 'createKey',
    summary: 'Create a key',
    description: 'The answer carries the secret, once; only its hash is kept.',
    tag: 'Keys',
    body: createKeyBody,
    answer: ANSWERS.created,
    errors: [409, 422],
    examples: {
      service: { summary: 'A service key in one workspace', value: KEY_BODY },
      expiring: {
        summary: 'A personal development key that expires',
        value: {
          type: 'personal',
          environment: 'development',
          owner: 'bob',
          scope: { organizationId: 'acme', workspaceIds: '*' },
          expiresAt: '2030-01-01T00:00:00Z',
        },
      },
    },
  },
  'keys-list': {
    operationId: 'listKeys',
    summary: 'List keys',
    description: 'Filtered and paged; never reads the whole table.',
    tag: 'Keys',
    query: listKeysQuery,
    answer: { status: 200, description: 'One page of keys.', body: keyPageSchema },
  },
  'keys-get': {
    operationId: 'getKey',
    summary: 'Get a key',
    description: "During a rotation's grace, with how much the old key is still used (`graceUsage`).",
    tag: 'Keys',
    path: keyPath,
    answer: { ...ANSWERS.key, body: keyDetailSchema },
    errors: [404],
  },
  'keys-update': {
    operationId: 'updateKey',
    summary: 'Update a key',
    description: 'Changes the fields given. With `If-Match`, only over that version.',
    tag: 'Keys',
    path: keyPath,
    headers: ifMatch,
    body: updateKeyBody,
    answer: ANSWERS.changed,
    errors: [404, 409, 412, 422],
    examples: { disable: { summary: 'Disable a key', value: { enabled: false } } },
  },
  'keys-revoke': {
    operationId: 'revokeKey',
    summary: 'Revoke a key',
    description: 'Immediate and final; revoking again answers the same key.',
    tag: 'Keys',
    path: keyPath,
    body: emptyBody,
    answer: ANSWERS.revoked,
    errors: [404],
  },
  'keys-delete': {
    operationId: 'deleteKey',
    summary: 'Delete a key',
    description: "Removes the record; its owner's slot is given back.",
    tag: 'Keys',
    path: keyPath,
    answer: { status: 204, description: 'Deleted.' },
    errors: [404],
  },
  'keys-rotate': {
    operationId: 'rotateKey',
    summary: 'Rotate a key',
    description:
      'A new key with the same settings and a new secret; the old one is revoked now or expires after the grace period. With an `Idempotency-Key`, a retry gets the same keys (`secret: null`).',
    tag: 'Keys',
    path: keyPath,
    headers: z.object({
      'Idempotency-Key': z.string().optional().meta({
        description: '1 to 128 printable characters; a retry with the same key replays the first answer.',
      }),
    }),
    body: rotateBody,
    answer: ANSWERS.rotated,
    otherAnswers: [
      {
        status: 200,
        description: 'A replay of an earlier rotation with the same Idempotency-Key: `secret` is null.',
        body: rotatedKeySchema,
        headers: z.object({ Location: location, 'Idempotent-Replayed': header('true') }),
      },
    ],
    errors: [404, 409, 422],
    examples: { grace: { summary: 'Keep the old key for an hour', value: { gracePeriodSeconds: 3600 } } },
  },
  'keys-usage': {
    operationId: 'getKeyUsage',
    summary: "A key's usage",
    description: 'Requests per UTC day, allowed and refused, oldest first.',
    tag: 'Usage',
    path: keyPath,
    query: usageQuery,
    answer: ANSWERS.usage,
    errors: [404],
  },
  'keys-requests': {
    operationId: 'listKeyRequests',
    summary: "A key's recent requests",
    description:
      'The checks of the key, newest first, from the verification log: JSON pages, or the same page as CSV with `?format=csv` or `Accept: text/csv`.',
    tag: 'Usage',
    path: keyPath,
    query: requestsQuery,
    answer: {
      status: 200,
      description: 'One page of requests.',
      body: requestsPageSchema,
      alternatives: { 'text/csv': requestsCsvSchema },
      headers: z.object({
        'Content-Disposition': header(
          'For CSV: an attachment named latchkey-requests-<keyId>.csv.',
        ).optional(),
        'Latchkey-Next-Cursor': header(
          "For CSV: the next page's cursor (the JSON's `nextCursor`); absent on the last page.",
        ).optional(),
      }),
    },
    errors: [404],
  },
  'usage-overview': {
    operationId: 'getUsageOverview',
    summary: 'Usage across keys',
    description: 'Every key with traffic in the window, most active first, with the unusual-activity flag.',
    tag: 'Usage',
    query: usageOverviewQuery,
    answer: { status: 200, description: 'One page of the overview.', body: usageOverviewSchema },
  },
  'keys-quota': {
    operationId: 'getKeyQuota',
    summary: "A key's quota",
    description: "The key's plan and how much of its quota it used this period.",
    tag: 'Plans',
    path: keyPath,
    answer: { status: 200, description: 'The quota.', body: keyQuotaSchema },
    errors: [404],
  },
  'plans-list': {
    operationId: 'listPlans',
    summary: 'List usage plans',
    tag: 'Plans',
    answer: { status: 200, description: 'The configured plans.', body: planListSchema },
  },
  'audit-list': {
    operationId: 'listAudit',
    summary: 'The audit trail',
    description: 'Who did what, when; newest first; by key, actor and action.',
    tag: 'Audit',
    query: auditQuery,
    answer: { status: 200, description: 'One page of audit records.', body: auditPageSchema },
  },
  verify: {
    operationId: 'verifyKey',
    summary: 'Verify a key',
    description:
      "The authorizer's decision for callers that are not API Gateway. A refusal is an answer (200, `valid: false`), not an error.",
    tag: 'Verify',
    body: verifyBody,
    answer: { status: 200, description: 'The decision.', body: verifyAnswerSchema },
    examples: {
      permission: {
        summary: 'May this key read invoices?',
        value: { key: 'lk_live_…', permission: 'invoices:read', sourceIp: '203.0.113.7' },
      },
    },
  },
  'roles-list': {
    operationId: 'listRoles',
    summary: 'List roles',
    description: 'The built-in roles and the custom ones.',
    tag: 'Roles',
    answer: { status: 200, description: 'Every role.', body: roleListSchema },
  },
  'roles-create': {
    operationId: 'createRole',
    summary: 'Create a role',
    tag: 'Roles',
    body: createRoleBody,
    answer: {
      status: 201,
      description: 'The role.',
      body: roleSchema,
      headers: z.object({ Location: location, ETag: etag }),
    },
    errors: [409],
    examples: {
      reader: {
        summary: 'A role that reads invoices',
        value: { name: 'billing-reader', description: 'Reads invoices', permissions: ['invoices:read'] },
      },
    },
  },
  'roles-get': {
    operationId: 'getRole',
    summary: 'Get a role',
    tag: 'Roles',
    path: roleNamePath,
    answer: {
      status: 200,
      description: 'The role (a custom role with its version as ETag).',
      body: roleSchema,
      headers: z.object({ ETag: etag.optional() }),
    },
    errors: [404],
  },
  'roles-put': {
    operationId: 'putRole',
    summary: 'Replace a role',
    description: "Replaces a custom role's description and permissions.",
    tag: 'Roles',
    path: roleNamePath,
    headers: ifMatch,
    body: putRoleBody,
    answer: { status: 200, description: 'The role.', body: roleSchema, headers: z.object({ ETag: etag }) },
    errors: [404, 409, 412],
  },
  'roles-delete': {
    operationId: 'deleteRole',
    summary: 'Delete a role',
    description: 'Refused (409) while keys still use it, saying how many.',
    tag: 'Roles',
    path: roleNamePath,
    answer: { status: 204, description: 'Deleted.' },
    errors: [404, 409],
  },
  'rotation-sweep': {
    operationId: 'runRotationSweep',
    summary: 'Run the rotation sweep',
    description: 'Now, or as a preview (`dryRun`) as of another time (`asOf`).',
    tag: 'Rotation',
    body: sweepBody,
    answer: { status: 200, description: 'What the sweep did or would do.', body: sweepResultSchema },
    examples: {
      preview: { summary: 'Preview next month', value: { asOf: '2030-02-01T00:00:00Z', dryRun: true } },
    },
  },
  'events-list': {
    operationId: 'listEvents',
    summary: 'List lifecycle events (local server only)',
    description: 'The events that go to EventBridge in AWS, newest first. Served by the local server only.',
    tag: 'Events',
    query: eventsQuery,
    answer: { status: 200, description: 'One page of events.', body: eventPageSchema },
  },
  whoami: {
    operationId: 'whoAmI',
    summary: 'Who am I',
    description: 'The caller as the management API sees it: the actor the audit trail names.',
    tag: 'Service',
    answer: { status: 200, description: 'The caller.', body: whoAmISchema },
  },
  'leaks-report': {
    operationId: 'reportLeak',
    summary: 'Report a leaked secret',
    description:
      "A secret found by hand: the same check and action as GitHub's report. The answer never holds it.",
    tag: 'Leaks',
    body: leakReportBody,
    answer: { status: 200, description: 'What was found and done.', body: leakReportResultSchema },
  },
  'leaks-github': {
    operationId: 'reportGitHubLeaks',
    summary: "GitHub secret scanning's report",
    description:
      "GitHub's secret scanning partner endpoint. No IAM: the ECDSA signature over the raw body is the only authentication, checked before the body is read.",
    tag: 'Leaks',
    body: githubLeakReport,
    rawBody: true,
    headers: z.object({
      'Github-Public-Key-Identifier': header("The signing key's identifier (hex)."),
      'Github-Public-Key-Signature': header('Base64 DER ECDSA P-256 SHA-256 over the raw body.'),
    }),
    answer: {
      status: 200,
      description: "GitHub's feedback: one label per match.",
      body: githubFeedbackSchema,
    },
    errors: [401, 503],
  },
  'reports-compliance': {
    operationId: 'getComplianceReport',
    summary: 'The compliance report',
    description:
      'Every live key that needs attention. JSON, or CSV with `?format=csv` or `Accept: text/csv`.',
    tag: 'Reports',
    query: complianceQuery,
    answer: {
      status: 200,
      description: 'The report.',
      body: complianceReportSchema,
      alternatives: { 'text/csv': z.string().meta({ description: 'One row per key per section.' }) },
      headers: z.object({
        'Content-Disposition': header(
          'For CSV: an attachment named latchkey-compliance-<day>.csv.',
        ).optional(),
      }),
    },
  },
  'keys-import': {
    operationId: 'importKeys',
    summary: 'Import existing secrets',
    description:
      'Stores secrets another system issued (their HMAC only) as keys due for rotation. Each key stands alone: a refused one is reported by index and the rest go on.',
    tag: 'Keys',
    body: importKeysBody,
    answer: { status: 201, description: 'The keys stored and the ones refused.', body: importResultSchema },
  },
  'keys-bulk': {
    operationId: 'bulkKeys',
    summary: 'Revoke or disable every key a filter matches',
    description:
      'The kill switch. A dry run counts the matching keys, shows some and issues a `confirm` token; a run with that token (same filter and action, within 10 minutes) acts on each key, with its own audit record and event. A run that answers `done: false` carries on when called again with the same body.',
    tag: 'Keys',
    body: bulkBody,
    answer: { status: 200, description: 'The dry run, or the run so far.', body: bulkAnswer },
    errors: [409],
    examples: {
      dryRun: {
        summary: "Count an owner's keys before revoking them",
        value: { filter: { owner: 'alice' }, action: 'revoke', dryRun: true },
      },
    },
  },
  'keys-extend-grace': {
    operationId: 'extendGrace',
    summary: "Extend a rotation's grace",
    description:
      'Lengthens the grace of the key a rotation replaced (at most 7 days a call, 30 days from the rotation in all); audited.',
    tag: 'Rotation',
    path: keyPath,
    body: extendGraceBody,
    answer: {
      status: 200,
      description: 'The old key, its grace now ending at `expiresAt`.',
      body: apiKeySchema,
    },
    errors: [404, 409],
    examples: { day: { summary: 'One more day', value: { seconds: 86400 } } },
  },
  'credentials-revoke': {
    operationId: 'revokeCredentials',
    summary: 'Report found secrets',
    description:
      'Anyone who found Latchkey secrets reports them, with no authentication; each live one is revoked. The answer is the same whatever was sent, and the check runs after it, so neither tells a live key from garbage.',
    tag: 'Leaks',
    body: credentialsRevokeBody,
    answer: { status: 202, description: 'Accepted.', body: credentialsRevokeAnswer },
    examples: {
      found: { summary: 'Two strings found in a paste', value: { credentials: ['lk_live_…', 'lk_test_…'] } },
    },
  },
  'pepper-list': {
    operationId: 'listPepperVersions',
    summary: 'List pepper versions',
    description: 'The versions, never the peppers, with how many live keys use each.',
    tag: 'Pepper',
    answer: { status: 200, description: 'The versions.', body: pepperListSchema },
  },
  'pepper-rotate': {
    operationId: 'rotatePepper',
    summary: 'Rotate the pepper',
    description: 'A new current version; older versions keep verifying their keys.',
    tag: 'Pepper',
    body: emptyBody,
    answer: { status: 200, description: 'The new and the previous version.', body: pepperRotationSchema },
    errors: [409],
  },
  'pepper-retire': {
    operationId: 'retirePepperVersion',
    summary: 'Retire a pepper version',
    description: 'Refused (409) while live keys still use it, naming them.',
    tag: 'Pepper',
    path: pepperVersionPath,
    body: emptyBody,
    answer: { status: 200, description: 'The retired version.', body: pepperRetirementSchema },
    errors: [404, 409],
  },
  'portal-sessions-create': {
    operationId: 'createPortalSession',
    summary: 'Make a portal link',
    description:
      "The team's backend asks for a one-time link to the self-service portal for one of its users. The link's code is in this answer only.",
    tag: 'Portal sessions',
    body: createPortalSessionBody,
    answer: { status: 201, description: 'The link.', body: portalLinkSchema },
    examples: {
      user: {
        summary: "A user's own personal keys in one workspace",
        value: { subject: 'user-42', scope: { workspaceId: 'ws-1' }, types: ['personal'], roles: ['read'] },
      },
    },
  },
  'portal-sessions-delete': {
    operationId: 'deletePortalSession',
    summary: 'End a portal session',
    description: 'At once: its next request is a 401.',
    tag: 'Portal sessions',
    path: portalSessionPath,
    answer: { status: 204, description: 'Ended.' },
    errors: [404],
  },
  openapi: {
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    description: 'The OpenAPI document of the management and portal APIs, generated from the code. No auth.',
    tag: 'Service',
    answer: {
      status: 200,
      description: 'The OpenAPI 3.1 document.',
      body: z.looseObject({ openapi: z.string() }),
    },
  },
  healthz: {
    operationId: 'getHealth',
    summary: 'Readiness',
    description:
      'No auth: whether the service can read its keys table (the answer is cached for a few seconds).',
    tag: 'Service',
    answer: { status: 200, description: 'Ready.', body: healthSchema },
    otherAnswers: [
      {
        status: 503,
        description: 'Not ready: the keys table does not answer.',
        body: healthSchema,
        headers: z.object({ 'Retry-After': header('Seconds.') }),
      },
    ],
  },
  'portal-enter': {
    operationId: 'enterPortal',
    summary: 'Open a portal link',
    description:
      "The link's one-time code becomes the session cookie and the browser goes on to the portal. A used, expired or unknown link is a 401 page saying so.",
    tag: 'Portal',
    query: enterQuery,
    answer: {
      status: 303,
      description: 'On to the portal, with the session cookie.',
      headers: z.object({
        Location: header('The portal page: /portal.'),
        'Set-Cookie': header(
          'The session cookie: HttpOnly, SameSite=Strict; `__Host-` and Secure over https.',
        ),
      }),
    },
    otherAnswers: [
      {
        status: 401,
        description: 'A page for the person: the link was used already, has expired, or never was one.',
        alternatives: { 'text/html': z.string() },
      },
    ],
  },
  'portal-session': {
    operationId: 'getPortalSession',
    summary: 'The session',
    description: 'Who the page is for and what it may do.',
    tag: 'Portal',
    answer: { status: 200, description: 'The session.', body: portalSessionViewSchema },
  },
  'portal-logout': {
    operationId: 'logoutPortal',
    summary: 'Sign out',
    description: 'The session ends and the cookie goes with it.',
    tag: 'Portal',
    answer: {
      status: 204,
      description: 'Signed out.',
      headers: z.object({ 'Set-Cookie': header('Clears the session cookie.') }),
    },
  },
  'portal-keys-list': {
    operationId: 'listPortalKeys',
    summary: "List the session's keys",
    description: 'The keys of the session scope it may see, newest first.',
    tag: 'Portal',
    query: portalListQuery,
    answer: { status: 200, description: 'One page of keys.', body: keyPageSchema },
  },
  'portal-keys-create': {
    operationId: 'createPortalKey',
    summary: 'Create a key in the portal',
    description: "A key in the session's scope, with its roles and owner where the request leaves them out.",
    tag: 'Portal',
    body: portalCreateKeyBody,
    answer: ANSWERS.created,
    errors: [409, 422],
  },
  'portal-keys-get': {
    operationId: 'getPortalKey',
    summary: 'Get a key in the portal',
    description: 'A key outside the session answers exactly as a key that does not exist.',
    tag: 'Portal',
    path: portalKeyPath,
    answer: ANSWERS.key,
    errors: [404],
  },
  'portal-keys-update': {
    operationId: 'updatePortalKey',
    summary: 'Update a key in the portal',
    description: "As /v1, within the session's roles.",
    tag: 'Portal',
    path: portalKeyPath,
    headers: ifMatch,
    body: updateKeyBody,
    answer: ANSWERS.changed,
    errors: [404, 409, 412, 422],
  },
  'portal-keys-delete': {
    operationId: 'deletePortalKey',
    summary: 'Delete a key in the portal',
    tag: 'Portal',
    path: portalKeyPath,
    answer: { status: 204, description: 'Deleted.' },
    errors: [404],
  },
  'portal-keys-revoke': {
    operationId: 'revokePortalKey',
    summary: 'Revoke a key in the portal',
    tag: 'Portal',
    path: portalKeyPath,
    answer: ANSWERS.revoked,
    errors: [404],
  },
  'portal-keys-rotate': {
    operationId: 'rotatePortalKey',
    summary: 'Rotate a key in the portal',
    description: 'Needs both api.key.create and api.key.delete.',
    tag: 'Portal',
    path: portalKeyPath,
    body: rotateBody,
    answer: ANSWERS.rotated,
    errors: [404, 409, 422],
  },
  'portal-keys-usage': {
    operationId: 'getPortalKeyUsage',
    summary: "A portal key's usage",
    tag: 'Portal',
    path: portalKeyPath,
    query: usageQuery,
    answer: ANSWERS.usage,
    errors: [404],
  },
};
