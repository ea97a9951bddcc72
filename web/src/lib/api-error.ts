import type { FieldIssue } from '@latchkey/client/types';

export type { FieldIssue };

/** An answer other than 2xx: the API's `{ error: { code, message, details? } }`, or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
    /** The request's ID (API Gateway's x-amzn-RequestId), to quote in a report or find in the logs. */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Whether `error` is the API's answer with this HTTP status (404, 409, 412…). */
export const hasStatus = (error: unknown, status: number): error is ApiError =>
  error instanceof ApiError && error.status === status;
