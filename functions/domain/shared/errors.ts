import { z } from 'zod';

/**
 * Every error the API can answer with, by code. The domain speaks codes only; the edge maps each
 * code to its HTTP status (functions/platform/http/error-status.ts).
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'KEY_REVOKED',
  'CONFLICT',
  'LIMIT_EXCEEDED',
  'ROLE_IN_USE',
  'PRECONDITION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'IDEMPOTENCY_KEY_REUSED',
  'POLICY_VIOLATION',
  'INTERNAL',
  'SERVICE_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One bad field of a request: which, and what is wrong with it, in words a person reads. */
export const fieldIssueSchema = z
  .object({
    field: z.string().meta({ description: 'The field, dotted (`scope.workspaceId`), or a header name.' }),
    message: z.string(),
    rule: z
      .string()
      .optional()
      .meta({ description: 'The compliance policy rule the field breaks (POLICY_VIOLATION).' }),
  })
  .meta({ id: 'FieldIssue' });
export type FieldIssue = z.output<typeof fieldIssueSchema>;

/** Every error answer: `{ error: { code, message, details?, requestId? } }`. */
export const errorAnswerSchema = z
  .object({
    error: z.object({
      code: z.string().meta({
        description: `What went wrong, for programs: ${ERROR_CODES.join(', ')}; a rotation under an Idempotency-Key may also answer ROTATION_IN_PROGRESS or ALREADY_ROTATED, and API Gateway's own refusals carry its response type (ACCESS_DENIED, MISSING_AUTHENTICATION_TOKEN, THROTTLED, …).`,
      }),
      message: z.string().meta({ description: 'What went wrong, for people.' }),
      details: z.array(fieldIssueSchema).optional().meta({ description: 'Every bad field, one entry each.' }),
      requestId: z
        .string()
        .optional()
        .meta({ description: 'The request, for a report or a log search (on a 500).' }),
    }),
  })
  .meta({ id: 'ErrorResponse' });
export type ErrorAnswer = z.output<typeof errorAnswerSchema>;

/** An error meant for the client: its code, message and details are safe to show. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: readonly FieldIssue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string) => new ApiError('NOT_FOUND', `${what} not found`);
