/**
 * The one HTTP client of the tests (and the bench) for a running service: the management API with
 * the admin token, and /demo with a key's secret. No vitest here: the bench imports it too.
 */

// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely in tests
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined when the body is empty or not JSON (`text` has it as sent). */
  body: T;
  text: string;
}

/**
 * Calls the management API with the admin token, JSON in and out. A string body is sent as it is
 * (for malformed JSON); `headers` add to or replace the defaults.
 */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely in tests
export type Api = <T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ApiResponse<T>>;

export interface DemoRequest {
  /** @default '/demo/orders' */
  path?: string;
  /** @default 'GET' */
  method?: string;
  headers?: Record<string, string>;
}

/** A request to the protected /demo routes with `secret` as the bearer token (none if undefined). */
export type Demo = (secret: string | undefined, request?: DemoRequest) => Promise<ApiResponse>;

/** A response as the tests read it: its status, headers, text and, when that is JSON, the parsed body. */
export async function readAnswer(res: Response): Promise<ApiResponse> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

export function apiOf(url: string, adminToken: string): Api {
  return async (method, path, body, headers = {}) =>
    readAnswer(
      await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
}

/**
 * Each page of a list route (`path` may carry a query) from `cursor` on, following `nextCursor`
 * (encoded for the URL) until a page has none: each page's answer, for tests that check pages.
 */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely in tests
export async function* pagesOf<T extends { nextCursor?: string | null } = any>(
  api: Api,
  path: string,
  cursor?: string,
): AsyncGenerator<ApiResponse<T>> {
  let next = cursor;
  do {
    const page = await api<T>(
      'GET',
      next ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(next)}` : path,
    );
    yield page;
    next = page.body?.nextCursor ?? undefined;
  } while (next);
}

/** Every item of a list route, page after page from `cursor` (see pagesOf). */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely in tests
export async function itemsOf<T = any>(api: Api, path: string, cursor?: string): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pagesOf<{ items: T[]; nextCursor: string | null }>(api, path, cursor))
    items.push(...page.body.items);
  return items;
}

export function demoOf(url: string): Demo {
  return async (secret, request = {}) =>
    readAnswer(
      await fetch(`${url}${request.path ?? '/demo/orders'}`, {
        method: request.method ?? 'GET',
        headers: {
          ...(secret === undefined ? {} : { authorization: `Bearer ${secret}` }),
          ...request.headers,
        },
      }),
    );
}

/** A service's address and admin token, and the two clients made from them. */
export interface ServiceClient {
  readonly url: string;
  readonly adminToken: string;
  readonly api: Api;
  readonly demo: Demo;
}

export const clientOf = (url: string, adminToken: string): ServiceClient => ({
  url,
  adminToken,
  api: apiOf(url, adminToken),
  demo: demoOf(url),
});
