import type { FieldIssue } from './types.ts';

/** API Gateway's own refusals carry no code of the API's: named after their status. */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'THROTTLED',
  500: 'INTERNAL',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/**
 * An answer of the API that is not a success: its status, and the API's error code, message and
 * bad fields (`{ "error": { code, message, details?, requestId? } }`). An answer in another shape
 * (API Gateway's `{ "message": "Forbidden" }`) keeps its message and gets a code from its status.
 */
export class LatchkeyError extends Error {
  override readonly name = 'LatchkeyError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Every bad field of a 400, one entry each. */
    readonly details: readonly FieldIssue[] = [],
    /** The request's ID on a 500, for a report or a log search. */
    readonly requestId?: string,
    /**
     * The answer as it came (its parsed JSON body, undefined when it was not JSON, and its status
     * text), for a caller that words its own errors, such as the CLI.
     */
    readonly answer: { readonly body?: unknown; readonly statusText: string } = { statusText: '' },
  ) {
    super(message);
  }

  /** The error a non-success answer stands for, from its status, body text and status text. */
  static fromAnswer(status: number, text: string, statusText = ''): LatchkeyError {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const fallback = CODE_BY_STATUS[status] ?? `HTTP_${status}`;
    if (isRecord(body) && isRecord(body.error)) {
      const { code, message, details, requestId } = body.error;
      return new LatchkeyError(
        status,
        typeof code === 'string' ? code : fallback,
        typeof message === 'string' ? message : `the API answered ${status}`,
        Array.isArray(details) ? (details as FieldIssue[]) : [],
        typeof requestId === 'string' ? requestId : undefined,
        { body, statusText },
      );
    }
    const message = isRecord(body) ? (body.message ?? body.Message) : undefined;
    return new LatchkeyError(
      status,
      fallback,
      typeof message === 'string' ? message : text.trim().slice(0, 200) || `the API answered ${status}`,
      [],
      undefined,
      { body, statusText },
    );
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
