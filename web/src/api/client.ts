import { ApiError, type FieldIssue } from '../lib/api-error.ts';
import { clearToken, readToken } from '../lib/token.ts';

export { ApiError, type FieldIssue };

type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  headers?: Record<string, string>;
  /** The body is text (CSV, say), not JSON. */
  text?: boolean;
}

function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let requestId = response.headers.get('x-amzn-requestid') ?? undefined;
  try {
    const parsed = JSON.parse(text) as {
      error?: { code?: string; message?: string; details?: FieldIssue[]; requestId?: string };
    };
    requestId = parsed.error?.requestId ?? requestId;
    if (parsed.error?.message) {
      return new ApiError(
        response.status,
        parsed.error.code ?? 'ERROR',
        parsed.error.message,
        Array.isArray(parsed.error.details) ? parsed.error.details : [],
        requestId,
      );
    }
  } catch {
    // not JSON: fall through to the status line
  }
  return new ApiError(
    response.status,
    'HTTP_ERROR',
    `${response.status} ${response.statusText || 'error'}`,
    [],
    requestId,
  );
}

/** Same-origin `fetch('/v1/…')` with the admin token; resolves the JSON body, throws ApiError. */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const token = readToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The Latchkey server could not be reached. Is it still running?');
  }
  // A refused token is dropped here; main.tsx sends the page back to the token form.
  if (response.status === 401) {
    clearToken();
    throw await errorOf(response);
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  if (options.text) return (await response.text()) as T;
  return (await response.json()) as T;
}

export const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });
