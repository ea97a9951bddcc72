import type { ErrorCode } from '#domain/shared/errors.ts';

/** The HTTP status of each error code: one code, one status, mapped here at the edge. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  KEY_REVOKED: 409,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 409,
  ROLE_IN_USE: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  POLICY_VIOLATION: 422,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
};
