import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import { settings } from '#config/settings.ts';
import { ApiError, type FieldIssue } from '#domain/shared/errors.ts';
import { InvalidCursorError } from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import { logger } from '#platform/observability/logger.ts';
import { ERROR_STATUS } from './error-status.ts';

export interface HttpResult {
  readonly status: number;
  readonly body?: unknown;
  /** A body that is not JSON (CSV, say), sent as it is with the content type in `headers`. */
  readonly text?: string;
  readonly headers?: Record<string, string>;
}

export interface HttpRequest<B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly path: P;
  readonly headers: Record<string, string | undefined>;
  readonly ctx: RequestContext;
  readonly event: APIGatewayProxyEvent;
  /** The Lambda context of this invocation. */
  readonly context: Context;
}

interface Schemas<B, Q, P> {
  readonly body?: z.ZodType<B, unknown>;
  readonly query?: z.ZodType<Q, unknown>;
  readonly path?: z.ZodType<P, unknown>;
}

/** The schemas a route validates with, as its handler carries them (the same for every route's type). */
export interface RouteSchemas {
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  readonly path?: z.ZodType;
}

const MAX_BODY_BYTES = settings().LATCHKEY_MAX_BODY_BYTES;

/** Zod issues as `{ field, message }`, one per bad field, unknown fields named one by one. */
export function fieldIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: base ? `${base}.${key}` : key,
        message: 'is not a known field',
      }));
    }
    return [{ field: base || '(body)', message: issue.message }];
  });
}

function parse<T>(schema: z.ZodType<T, unknown> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = fieldIssues(result.error, where === 'body' ? '' : where);
  throw new ApiError(
    'VALIDATION_FAILED',
    `invalid ${where}: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`,
    details,
  );
}

/** The body exactly as the client sent it (what a signature is computed over). */
export function rawBody(event: APIGatewayProxyEvent): Buffer {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
}

function readBody(event: APIGatewayProxyEvent, wanted: boolean, maxBytes = MAX_BODY_BYTES): unknown {
  const bytes = rawBody(event);
  if (bytes.length > maxBytes) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `request body is larger than ${maxBytes} bytes`);
  }
  if (!wanted) return undefined;
  if (bytes.length === 0) return {};
  const type = event.headers['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      'request body must be JSON (content-type: application/json)',
    );
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ApiError('BAD_REQUEST', 'request body is not valid JSON');
  }
}

/**
 * The caller's identity: the IAM principal API Gateway verified (SigV4), or what the local
 * server's bearer-token check put in the authorizer context. No identity, no access.
 */
function actorOf(event: APIGatewayProxyEvent): string {
  const arn = event.requestContext?.identity?.userArn;
  const principal = event.requestContext?.authorizer?.principalId;
  const actor = arn || (typeof principal === 'string' ? principal : undefined);
  if (!actor) throw new ApiError('UNAUTHORIZED', 'the request carries no caller identity');
  return actor;
}

/** `If-Match: "3"`, `W/"3"` or `3` for keys and roles; absent means last writer wins. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match?.[1]) {
    throw new ApiError('VALIDATION_FAILED', 'If-Match must be the current version, e.g. "3"', [
      { field: 'If-Match', message: 'must be the current version, e.g. "3"' },
    ]);
  }
  return Number(match[1]);
}

/** Whether a report is wanted as CSV: `format=csv`, or no format and an `Accept` that names text/csv. */
export const wantsCsv = (format: string | undefined, headers: Record<string, string | undefined>): boolean =>
  format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(headers.accept ?? ''));

/** A CSV answer, downloaded as `filename`; it varies with `Accept`, as its JSON twin does. */
export const csvResult = (
  text: string,
  filename: string,
  headers: Record<string, string> = {},
): HttpResult => ({
  status: 200,
  text,
  headers: {
    'content-type': 'text/csv; charset=utf-8; header=present',
    'content-disposition': `attachment; filename="${filename}"`,
    vary: 'Accept',
    ...headers,
  },
});

/** A browser must take an answer for the type it is sent as, never guess (a JSON body as HTML, say). */
export const NO_SNIFF = { 'x-content-type-options': 'nosniff' } as const;

export const json = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult => ({
  statusCode: status,
  headers: { ...NO_SNIFF, 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  body: body === undefined ? '' : JSON.stringify(body),
});

/** Client errors answer with their code; anything else is a 500 with the request ID and no internals. */
const errorResponses = (): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: async (request) => {
    const error = request.error;
    const requestId = request.context?.awsRequestId ?? request.event?.requestContext?.requestId;
    if (error instanceof ApiError) {
      request.response = json(ERROR_STATUS[error.code], {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      });
      return;
    }
    if (error instanceof InvalidCursorError) {
      request.response = json(400, {
        error: {
          code: 'VALIDATION_FAILED',
          message: error.message,
          details: [{ field: 'cursor', message: error.message }],
        },
      });
      return;
    }
    logger.error('unhandled error', { error: error as Error });
    request.response = json(500, { error: { code: 'INTERNAL', message: 'internal error', requestId } });
  },
});

/**
 * The one middy stack every management route uses: context-aware logging, lower-cased headers,
 * body size/JSON/schema checks at the edge, the caller's identity, and one error mapping. The
 * handler carries the schemas it validates with, so a test can hold the OpenAPI document to them.
 */
export function httpRoute<B = undefined, Q = undefined, P = undefined, C extends object = object>(
  schemas: Schemas<B, Q, P>,
  fn: (request: HttpRequest<B, Q, P> & C) => Promise<HttpResult>,
  options: {
    anonymous?: boolean;
    maxBodyBytes?: number;
    /** Who calls, when it is not the IAM principal (the portal's session cookie); throws ApiError to refuse. */
    identify?: (event: APIGatewayProxyEvent, requestId: string) => Promise<{ ctx: RequestContext } & C>;
  } = {},
) {
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(errorResponses())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .handler(async (event, context) => {
      const requestId = context.awsRequestId ?? event.requestContext?.requestId;
      const caller = options.identify
        ? await options.identify(event, requestId)
        : ({ ctx: { actor: options.anonymous ? 'anonymous' : actorOf(event), requestId } } as {
            ctx: RequestContext;
          } & C);
      const body = parse(
        schemas.body,
        readBody(event, schemas.body !== undefined, options.maxBodyBytes),
        'body',
      );
      const query = parse(schemas.query, event.queryStringParameters ?? {}, 'query');
      const path = parse(schemas.path, event.pathParameters ?? {}, 'path');
      const result = await fn({ ...caller, body, query, path, headers: event.headers, event, context });
      if (result.text !== undefined)
        return {
          statusCode: result.status,
          headers: { ...NO_SNIFF, 'cache-control': 'no-store', ...result.headers },
          body: result.text,
        };
      return json(result.status, result.body, result.headers);
    });
  const carried: RouteSchemas = schemas;
  return Object.assign(handler, { schemas: carried });
}
