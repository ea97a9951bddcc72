import { expect } from 'vitest';
import { readAnswer } from './api.ts';
import type { ApiResponse, TestService } from './service.ts';

/** A portal session as its user holds it: the cookie from opening the link, and the page's API. */
export interface PortalUser {
  readonly sessionId: string;
  readonly url: string;
  readonly cookie: string;
  /** Calls `/portal/api<path>` with the session cookie, from the portal's own origin. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
}

/** Opens a link as a browser would: GET it, keep the cookie it sets. Undefined cookie if refused. */
export async function openLink(
  url: string,
): Promise<{ status: number; cookie?: string; location?: string; text: string }> {
  const res = await fetch(url, { redirect: 'manual' });
  const setCookie = res.headers.get('set-cookie') ?? undefined;
  return {
    status: res.status,
    cookie: setCookie?.split(';')[0],
    location: res.headers.get('location') ?? undefined,
    text: await res.text(),
  };
}

/** Calls the portal API as the page would (its origin, its cookie). */
export async function portalApi(
  base: string,
  cookie: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  return readAnswer(
    await fetch(`${base}/portal/api${path}`, {
      method,
      headers: {
        origin: base,
        ...(cookie ? { cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

/** What `latchkey portal link` does: POST /v1/portal/sessions as an operator; the link and its session. */
export async function makePortalLink(
  api: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>,
  session: Record<string, unknown>,
): Promise<{ url: string; sessionId: string; expiresAt: string }> {
  const made = await api('POST', '/v1/portal/sessions', session);
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body as { url: string; sessionId: string; expiresAt: string };
}

/** An operator makes a portal link for `session` (POST /v1/portal/sessions) and the user opens it. */
export async function openPortal(
  service: TestService,
  session: Record<string, unknown>,
): Promise<PortalUser> {
  const made = await makePortalLink(service.api, session);
  const opened = await openLink(made.url);
  expect(opened.status, opened.text).toBe(303);
  const cookie = opened.cookie as string;
  return {
    sessionId: made.sessionId,
    url: made.url,
    cookie,
    api: (method, path, body, headers) => portalApi(service.url, cookie, method, path, body, headers),
  };
}
