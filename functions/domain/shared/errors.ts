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

export interface FieldIssue {
  readonly field: string;
  readonly message: string;
  /** The compliance policy rule the field breaks (POLICY_VIOLATION). */
  readonly rule?: string;
}

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
