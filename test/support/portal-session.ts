import type { KeyScope } from '#domain/keys/key.ts';
import { sha256 } from '#domain/portal/portal-sessions.ts';
import { restEvent } from './lambda.ts';

/**
 * A portal session as the sessions table holds it, for unit tests that answer DynamoDB with fakes:
 * every permission over `scope`, its link opened (`opened`, with the token's hash) or not yet
 * (`unopened`, for the landing), and what the page sends (the cookie, from the portal's origin).
 */
export function portalSessionItem(scope: KeyScope, portalUrl: string) {
  const sessionId = `ps_${'s'.repeat(22)}`;
  const [code, token] = ['c'.repeat(43), 't'.repeat(43)];
  const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
  const unopened = {
    sessionId,
    subject: 'alice',
    scope,
    permissions: ['api.key.view', 'api.key.create', 'api.key.update', 'api.key.delete'],
    roles: ['read', 'reporting'],
    types: ['personal', 'service'],
    personalKeys: 'own',
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'operator',
    expiresAt: inAnHour,
    codeHash: sha256(code),
    codeExpiresAt: inAnHour,
    ttl: Math.ceil(Date.parse(inAnHour) / 1000),
  };
  const secure = new URL(portalUrl).protocol === 'https:';
  const headers = {
    cookie: `${secure ? '__Host-latchkey_portal' : 'latchkey_portal'}=${sessionId}.${token}`,
    origin: new URL(portalUrl).origin,
  };
  return {
    sessionId,
    /** The link's code, as `GET /portal/enter?code=` takes it. */
    code: `${sessionId}.${code}`,
    unopened,
    opened: { ...unopened, tokenHash: sha256(token), enteredAt: '2026-01-01T00:00:01.000Z' },
    /** The page's headers: its session cookie, from its own origin. */
    headers,
    /** A request of the page to `resource` (`/portal/api/…`), with its headers. */
    event: (method: string, resource: string, options: Parameters<typeof restEvent>[2] = {}) =>
      restEvent(method, resource, { ...options, headers: { ...headers, ...options.headers } }),
  };
}
