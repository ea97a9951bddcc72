import { createContext, useContext } from 'react';
import { ApiError, type FieldIssue } from '../lib/api-error.ts';
import { PORTAL_API } from '../lib/portal-paths.ts';
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

/**
 * One API the page speaks to: the operator's management API (`/v1`, the admin token) or a portal
 * session's (`/portal/api`, its cookie). Both have the same shapes, so every query and mutation
 * takes paths below the base (`/keys/…`) and serves either.
 */
export interface ApiClient {
  /** Where the API lives, same-origin: `/v1` or `/portal/api`. */
  readonly base: string;
  /** Resolves the JSON body (or text, or nothing for a 204); throws ApiError. */
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
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

interface Transport {
  readonly base: string;
  /** The request's credentials: the admin token in a header, or the browser's cookie. */
  readonly credentials: RequestCredentials;
  /** The Authorization header, for a client that sends one. */
  readonly authorization?: () => string | undefined;
  /** Called on a 401 before it is thrown, for a client that keeps credentials to drop. */
  readonly onUnauthorized?: () => void;
}

function client({ base, credentials, authorization, onUnauthorized }: Transport): ApiClient {
  return {
    base,
    async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
      const auth = authorization?.();
      if (auth) headers.authorization = auth;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await fetch(url(`${base}${path}`, options.query), {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          credentials,
          cache: 'no-store',
        });
      } catch {
        throw new ApiError(
          0,
          'NETWORK',
          'The server could not be reached. Check your connection and try again.',
        );
      }
      if (response.status === 401) {
        onUnauthorized?.();
        throw await errorOf(response);
      }
      if (!response.ok) throw await errorOf(response);
      if (response.status === 204) return undefined as T;
      if (options.text) return (await response.text()) as T;
      return (await response.json()) as T;
    },
  };
}

/**
 * The management API with the admin token and no cookies. A refused token is dropped here;
 * main.tsx sends the page back to the token form.
 */
export const operatorApi: ApiClient = client({
  base: '/v1',
  credentials: 'omit',
  authorization: () => {
    const token = readToken();
    return token ? `Bearer ${token}` : undefined;
  },
  onUnauthorized: clearToken,
});

/**
 * A portal session's API: the browser sends the session's HttpOnly cookie (same origin only) and
 * nothing else; the page never sees the session token. On a 401 main.tsx shows "session ended".
 */
export const portalApi: ApiClient = client({
  base: PORTAL_API,
  credentials: 'same-origin',
});

const ApiContext = createContext<ApiClient>(operatorApi);

/** Which API the page under it speaks to (main.tsx chooses once, by the page's path). */
export const ApiProvider = ApiContext.Provider;

/** The API this page speaks to, for queries (`keysListQuery(useApi(), …)`) and mutations. */
export const useApi = (): ApiClient => useContext(ApiContext);

export const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });
