import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/contract/openapi.ts';
import { newKeyId } from '../../functions/domain/keys/secret.ts';
import { signedHeaders, signingKey, useKeysServer } from '../support/github-keys.ts';
import { type CheckedAnswer, ContractChecker } from '../support/openapi.ts';
import { useTestService } from '../support/service.ts';

/**
 * Every operation of the OpenAPI document, run against the local server (DynamoDB Local, the
 * real handlers), each answer checked against the document: its status is one the operation
 * lists, its content type one listed for that status, its body valid against that schema, its
 * required headers there. Error answers included: 400 with details, 401, 403, 404, 409, 412,
 * 413, 415 and 422. The steps run in order and build on each other.
 */
const signer = signingKey();
const github = useKeysServer([signer]);
const svc = useTestService({
  env: () => ({
    LATCHKEY_LEAK_KEYS_URL: github.url,
    LATCHKEY_LEAK_KEYS_MIN_REFETCH_SECONDS: '0',
    LATCHKEY_POLICY: JSON.stringify({ personalKeysMayNotHold: ['admin'] }),
    LATCHKEY_PLANS: JSON.stringify({
      gold: { rateLimit: 10, burstLimit: 20, quota: { limit: 1000, period: 'DAY' } },
    }),
  }),
});
const contract = new ContractChecker();

interface CallOptions {
  /** JSON, or a string sent as it is. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Send the admin token (the default for /v1). */
  readonly admin?: boolean;
  /** A portal session's cookie, sent from the portal's own origin. */
  readonly cookie?: string;
}

async function call(method: string, path: string, options: CallOptions = {}): Promise<CheckedAnswer> {
  const admin = options.admin ?? (path.startsWith('/v1/') && !options.cookie);
  const headers: Record<string, string> = {
    ...(admin ? { authorization: `Bearer ${svc.adminToken}` } : {}),
    ...(options.cookie ? { cookie: options.cookie, origin: svc.url } : {}),
    ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...options.headers,
  };
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const res = await fetch(`${svc.url}${path}`, { method, headers, body, redirect: 'manual' });
  return contract.check(method, path, res);
}

/** Calls and expects `status`, saying the answer if it is another. */
async function expectStatus(status: number, method: string, path: string, options?: CallOptions) {
  const answer = await call(method, path, options);
  expect(answer.status, `${method} ${path}: ${answer.text.slice(0, 500)}`).toBe(status);
  return answer;
}

const KEY = { owner: 'alice', scope: { workspaceId: 'ws-1' } };
const ids: Record<string, string> = {};
const secrets: Record<string, string> = {};

describe('the service against its OpenAPI document', () => {
  it('serves the document itself, with no auth, as generated', async () => {
    const served = await expectStatus(200, 'GET', '/v1/openapi.json', { admin: false });
    expect(served.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    await expectStatus(200, 'GET', '/healthz');
    await expectStatus(200, 'GET', '/v1/whoami');
    const refused = await expectStatus(401, 'GET', '/v1/keys', { admin: false });
    expect(refused.body.error.code).toBe('UNAUTHORIZED');
  });

  it('pepper: list, rotate, retire (before any key is hashed under the first version)', async () => {
    await expectStatus(200, 'GET', '/v1/pepper');
    await expectStatus(200, 'POST', '/v1/pepper/rotate');
    await expectStatus(200, 'POST', '/v1/pepper/versions/1/retire', { body: {} });
    await expectStatus(404, 'POST', '/v1/pepper/versions/99/retire');
    await expectStatus(409, 'POST', '/v1/pepper/versions/2/retire');
    await expectStatus(400, 'POST', '/v1/pepper/rotate', { body: { now: true } });
  });

  it('roles', async () => {
    const body = { name: 'billing-reader', description: 'Reads invoices', permissions: ['invoices:read'] };
    await expectStatus(201, 'POST', '/v1/roles', { body });
    expect((await expectStatus(409, 'POST', '/v1/roles', { body })).body.error.code).toBe('CONFLICT');
    const bad = await expectStatus(400, 'POST', '/v1/roles', { body: { name: 'Bad Name', permissions: [] } });
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['name', 'permissions']);
    await expectStatus(200, 'GET', '/v1/roles');
    await expectStatus(200, 'GET', '/v1/roles/billing-reader');
    await expectStatus(200, 'GET', '/v1/roles/read');
    await expectStatus(404, 'GET', '/v1/roles/nobody');
    const put = { description: 'Reads and lists invoices', permissions: ['invoices:read', 'invoices:list'] };
    await expectStatus(200, 'PUT', '/v1/roles/billing-reader', { body: put, headers: { 'if-match': '"1"' } });
    await expectStatus(412, 'PUT', '/v1/roles/billing-reader', { body: put, headers: { 'if-match': '"1"' } });
    await expectStatus(201, 'POST', '/v1/roles', { body: { name: 'temporary', permissions: ['x:y'] } });
    await expectStatus(204, 'DELETE', '/v1/roles/temporary');
  });

  it('keys: create, and every way a create is refused', async () => {
    const created = await expectStatus(201, 'POST', '/v1/keys', {
      body: { ...KEY, name: 'billing-service', roles: ['billing-reader'] },
    });
    ids.billing = created.body.key.keyId;
    secrets.billing = created.body.secret;
    const gold = await expectStatus(201, 'POST', '/v1/keys', {
      body: { ...KEY, name: 'gold', type: 'personal', plan: 'gold' },
    });
    ids.gold = gold.body.key.keyId;
    secrets.gold = gold.body.secret;
    await expectStatus(201, 'POST', '/v1/keys', { body: {} });

    const invalid = await expectStatus(400, 'POST', '/v1/keys', { body: { scope: 'ws-1', colour: 'red' } });
    expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'colour',
      'scope',
    ]);
    expect((await expectStatus(400, 'POST', '/v1/keys', { body: '{"name":' })).body.error.code).toBe(
      'BAD_REQUEST',
    );
    await expectStatus(415, 'POST', '/v1/keys', {
      body: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });
    await expectStatus(413, 'POST', '/v1/keys', { body: { ...KEY, description: 'x'.repeat(20_000) } });
    const policy = await expectStatus(422, 'POST', '/v1/keys', {
      body: { ...KEY, type: 'personal', roles: ['admin'] },
    });
    expect(policy.body.error.code).toBe('POLICY_VIOLATION');
    expect(policy.body.error.details[0].rule).toBe('personalKeysMayNotHold');
  });

  it('keys: read, list, change', async () => {
    const page = await expectStatus(200, 'GET', '/v1/keys?limit=1');
    expect(page.body.nextCursor).not.toBeNull();
    await expectStatus(200, 'GET', `/v1/keys?limit=1&cursor=${page.body.nextCursor}`);
    await expectStatus(200, 'GET', '/v1/keys?owner=alice&status=active&type=personal&rotationDue=false');
    await expectStatus(400, 'GET', '/v1/keys?limit=0&colour=red');
    await expectStatus(400, 'GET', '/v1/keys?cursor=not-a-cursor');
    const key = await expectStatus(200, 'GET', `/v1/keys/${ids.billing}`);
    await expectStatus(404, 'GET', `/v1/keys/${newKeyId()}`);
    await expectStatus(400, 'GET', '/v1/keys/not-a-key');
    const etag = key.headers.get('etag') as string;
    await expectStatus(200, 'PATCH', `/v1/keys/${ids.billing}`, {
      body: { name: 'billing', metadata: { team: 'payments' } },
      headers: { 'if-match': etag },
    });
    await expectStatus(412, 'PATCH', `/v1/keys/${ids.billing}`, {
      body: { name: 'billing-2' },
      headers: { 'if-match': etag },
    });
    await expectStatus(400, 'PATCH', `/v1/keys/${ids.billing}`, { body: {} });
  });

  it('usage, quota, plans, verify', async () => {
    await expectStatus(200, 'GET', `/v1/keys/${ids.billing}/usage?days=7`);
    await expectStatus(400, 'GET', `/v1/keys/${ids.billing}/usage?days=31`);
    await expectStatus(200, 'GET', '/v1/usage?days=7&unusual=false');
    const gold = await expectStatus(200, 'GET', `/v1/keys/${ids.gold}/quota`);
    expect(gold.body).toMatchObject({ plan: 'gold', limit: 1000, period: 'DAY' });
    expect((await expectStatus(200, 'GET', `/v1/keys/${ids.billing}/quota`)).body.plan).toBeNull();
    await expectStatus(404, 'GET', `/v1/keys/${newKeyId()}/quota`);
    await expectStatus(200, 'GET', '/v1/plans');
    const valid = await expectStatus(200, 'POST', '/v1/verify', {
      body: { key: secrets.billing, permission: 'invoices:read', sourceIp: '203.0.113.7' },
    });
    expect(valid.body).toMatchObject({ valid: true, code: 'VALID' });
    const refused = await expectStatus(200, 'POST', '/v1/verify', { body: { key: 'lk_live_nope' } });
    expect(refused.body).toEqual({ valid: false, code: 'MALFORMED' });
    await expectStatus(400, 'POST', '/v1/verify', { body: {} });
  });

  it('keys: rotate (with and without an Idempotency-Key), revoke, delete, import', async () => {
    const first = await expectStatus(201, 'POST', `/v1/keys/${ids.billing}/rotate`, {
      body: { gracePeriodSeconds: 3600 },
      headers: { 'idempotency-key': 'rotate-billing-1' },
    });
    ids.successor = first.body.key.keyId;
    const replay = await expectStatus(200, 'POST', `/v1/keys/${ids.billing}/rotate`, {
      body: { gracePeriodSeconds: 3600 },
      headers: { 'idempotency-key': 'rotate-billing-1' },
    });
    expect(replay.body).toMatchObject({ secret: null, replayed: true });
    const reused = await expectStatus(422, 'POST', `/v1/keys/${ids.gold}/rotate`, {
      headers: { 'idempotency-key': 'rotate-billing-1' },
    });
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await expectStatus(409, 'POST', `/v1/keys/${ids.billing}/rotate`)).body.error.code).toBe(
      'CONFLICT',
    );
    await expectStatus(404, 'POST', `/v1/keys/${newKeyId()}/rotate`);

    await expectStatus(200, 'POST', `/v1/keys/${ids.billing}/revoke`);
    const revoked = await expectStatus(409, 'PATCH', `/v1/keys/${ids.billing}`, { body: { name: 'again' } });
    expect(revoked.body.error.code).toBe('KEY_REVOKED');
    await expectStatus(204, 'DELETE', `/v1/keys/${ids.billing}`);
    await expectStatus(404, 'DELETE', `/v1/keys/${ids.billing}`);
    const inUse = await expectStatus(409, 'DELETE', '/v1/roles/billing-reader');
    expect(inUse.body.error.code).toBe('ROLE_IN_USE');

    const imported = await expectStatus(201, 'POST', '/v1/keys/import', {
      body: {
        keys: [
          { ...KEY, name: 'legacy', secret: 'legacy-secret-0123456789abcdef' },
          { ...KEY, name: 'again', secret: 'legacy-secret-0123456789abcdef' },
        ],
      },
    });
    expect(imported.body.imported).toHaveLength(1);
    expect(imported.body.failed).toEqual([
      { index: 1, error: expect.objectContaining({ code: 'ALREADY_IMPORTED' }) },
    ]);
  });

  it("a key's requests (JSON and CSV), the rotation's grace, the kill switch, the public revoke", async () => {
    const made = await expectStatus(201, 'POST', '/v1/keys', { body: { ...KEY, name: 'insight' } });
    const id = made.body.key.keyId;
    await expectStatus(200, 'POST', '/v1/verify', {
      body: { key: made.body.secret, sourceIp: '203.0.113.9' },
    });
    await expectStatus(200, 'GET', `/v1/keys/${id}/usage?days=7`);
    const requests = await expectStatus(200, 'GET', `/v1/keys/${id}/requests?limit=10`);
    expect(requests.body.keyId).toBe(id);
    const csv = await expectStatus(200, 'GET', `/v1/keys/${id}/requests?format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    await expectStatus(400, 'GET', `/v1/keys/${id}/requests?limit=0`);
    await expectStatus(404, 'GET', `/v1/keys/${newKeyId()}/requests`);

    const rotated = await expectStatus(201, 'POST', `/v1/keys/${id}/rotate`, {
      body: { gracePeriodSeconds: 3600 },
    });
    await expectStatus(200, 'POST', `/v1/keys/${id}/extend-grace`, { body: { seconds: 3600 } });
    await expectStatus(200, 'GET', `/v1/keys/${id}`);
    const notInGrace = await expectStatus(409, 'POST', `/v1/keys/${rotated.body.key.keyId}/extend-grace`, {
      body: { seconds: 60 },
    });
    expect(notInGrace.body.error.code).toBe('CONFLICT');
    await expectStatus(400, 'POST', `/v1/keys/${id}/extend-grace`, { body: { seconds: 0 } });
    await expectStatus(404, 'POST', `/v1/keys/${newKeyId()}/extend-grace`, { body: { seconds: 60 } });

    await expectStatus(201, 'POST', '/v1/keys', { body: { ...KEY, owner: 'mallory', name: 'doomed' } });
    const filter = { owner: 'mallory' };
    const dry = await expectStatus(200, 'POST', '/v1/keys/bulk', {
      body: { filter, action: 'disable', dryRun: true },
    });
    expect(dry.body).toMatchObject({ dryRun: true, matched: 1 });
    const forged = await expectStatus(409, 'POST', '/v1/keys/bulk', {
      body: { filter, action: 'disable', dryRun: false, confirm: 'forged' },
    });
    expect(forged.body.error.details[0].field).toBe('confirm');
    const run = await expectStatus(200, 'POST', '/v1/keys/bulk', {
      body: { filter, action: 'disable', dryRun: false, confirm: dry.body.confirm },
    });
    expect(run.body).toMatchObject({ dryRun: false, affected: 1, done: true });
    await expectStatus(400, 'POST', '/v1/keys/bulk', {
      body: { filter: {}, action: 'revoke', dryRun: true },
    });

    const accepted = await expectStatus(202, 'POST', '/v1/credentials/revoke', {
      body: { credentials: ['not a secret'] },
    });
    expect(accepted.body.message).toMatch(/^Thank you/);
    await expectStatus(400, 'POST', '/v1/credentials/revoke', { body: { credentials: [] } });
  });

  it('audit, events, the sweep, the compliance report', async () => {
    await expectStatus(200, 'GET', `/v1/audit?keyId=${ids.successor}&limit=5`);
    await expectStatus(200, 'GET', '/v1/audit?action=key.created');
    await expectStatus(400, 'GET', '/v1/audit?keyId=nope');
    await expectStatus(200, 'GET', '/v1/events?limit=5');
    await expectStatus(200, 'POST', '/v1/rotation/sweep', {
      body: { dryRun: true, asOf: '2099-01-01T00:00:00Z' },
    });
    await expectStatus(200, 'POST', '/v1/rotation/sweep');
    await expectStatus(400, 'POST', '/v1/rotation/sweep', { body: { dryRun: 'yes' } });
    await expectStatus(200, 'GET', '/v1/reports/compliance?unusedDays=30');
    const csv = await expectStatus(200, 'GET', '/v1/reports/compliance?format=csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    await expectStatus(400, 'GET', '/v1/reports/compliance?format=xml');
  });

  it('leaks: reported by hand and by GitHub', async () => {
    const found = await expectStatus(200, 'POST', '/v1/leaks', {
      body: { secret: secrets.gold, url: 'https://example.com/paste', action: 'disable' },
    });
    expect(found.body).toMatchObject({ label: 'true_positive', action: 'disable', changed: true });
    const noise = await expectStatus(200, 'POST', '/v1/leaks', { body: { secret: 'not a secret' } });
    expect(noise.body).toEqual({ label: 'false_positive', code: 'MALFORMED' });

    const report = JSON.stringify([
      { token: secrets.gold, type: 'latchkey_api_key', url: 'https://github.com/x' },
    ]);
    const github = await expectStatus(200, 'POST', '/v1/leaks/github', {
      body: report,
      headers: signedHeaders(report, signer),
    });
    expect(github.body[0].label).toBe('true_positive');
    await expectStatus(401, 'POST', '/v1/leaks/github', { body: report });
    await expectStatus(400, 'POST', '/v1/leaks/github', { body: '[]', headers: signedHeaders('[]', signer) });
  });

  it('portal sessions and the portal', async () => {
    const link = await expectStatus(201, 'POST', '/v1/portal/sessions', {
      body: { subject: 'user-42', scope: { workspaceId: 'ws-1' }, branding: { productName: 'Acme' } },
    });
    await expectStatus(400, 'POST', '/v1/portal/sessions', { body: {} });
    const refusedLink = await expectStatus(401, 'GET', '/portal/enter?code=bogus');
    expect(refusedLink.headers.get('content-type')).toMatch(/^text\/html/);
    const code = new URL(link.body.url).searchParams.get('code') as string;
    const entered = await expectStatus(303, 'GET', `/portal/enter?code=${encodeURIComponent(code)}`);
    const cookie = (entered.headers.get('set-cookie') as string).split(';')[0] as string;

    await expectStatus(200, 'GET', '/portal/api/session', { cookie });
    await expectStatus(401, 'GET', '/portal/api/session');
    const made = await expectStatus(201, 'POST', '/portal/api/keys', { cookie, body: { name: 'mine' } });
    const mine = made.body.key.keyId;
    const foreign = await expectStatus(403, 'POST', '/portal/api/keys', {
      cookie,
      body: { name: 'elsewhere' },
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.body.error.code).toBe('FORBIDDEN');
    await expectStatus(400, 'POST', '/portal/api/keys', { cookie, body: { scope: 'everything' } });
    await expectStatus(200, 'GET', '/portal/api/keys?status=active', { cookie });
    const key = await expectStatus(200, 'GET', `/portal/api/keys/${mine}`, { cookie });
    const outside = await expectStatus(201, 'POST', '/v1/keys', {
      body: { ...KEY, scope: { workspaceId: 'ws-2' } },
    });
    await expectStatus(404, 'GET', `/portal/api/keys/${outside.body.key.keyId}`, { cookie });
    await expectStatus(200, 'PATCH', `/portal/api/keys/${mine}`, {
      cookie,
      body: { name: 'renamed' },
      headers: { 'if-match': key.headers.get('etag') as string },
    });
    await expectStatus(412, 'PATCH', `/portal/api/keys/${mine}`, {
      cookie,
      body: { name: 'again' },
      headers: { 'if-match': key.headers.get('etag') as string },
    });
    await expectStatus(200, 'GET', `/portal/api/keys/${mine}/usage`, { cookie });
    const rotated = await expectStatus(201, 'POST', `/portal/api/keys/${mine}/rotate`, { cookie });
    const successor = rotated.body.key.keyId;
    await expectStatus(409, 'POST', `/portal/api/keys/${mine}/rotate`, { cookie });
    await expectStatus(200, 'POST', `/portal/api/keys/${successor}/revoke`, { cookie });
    await expectStatus(204, 'DELETE', `/portal/api/keys/${successor}`, { cookie });
    await expectStatus(404, 'DELETE', `/portal/api/keys/${successor}`, { cookie });

    const viewer = await expectStatus(201, 'POST', '/v1/portal/sessions', {
      body: { subject: 'viewer', scope: { workspaceId: 'ws-1' }, permissions: ['api.key.view'] },
    });
    const viewerCode = new URL(viewer.body.url).searchParams.get('code') as string;
    const viewerEntered = await expectStatus(
      303,
      'GET',
      `/portal/enter?code=${encodeURIComponent(viewerCode)}`,
    );
    const viewerCookie = (viewerEntered.headers.get('set-cookie') as string).split(';')[0] as string;
    const notAllowed = await expectStatus(403, 'POST', '/portal/api/keys', {
      cookie: viewerCookie,
      body: {},
    });
    expect(notAllowed.body.error.details).toEqual([
      { field: 'permissions', message: 'api.key.create is not granted to this session' },
    ]);
    await expectStatus(204, 'DELETE', `/v1/portal/sessions/${viewer.body.sessionId}`);
    await expectStatus(404, 'DELETE', `/v1/portal/sessions/${viewer.body.sessionId}`);
    await expectStatus(400, 'DELETE', '/v1/portal/sessions/not-a-session');
    await expectStatus(204, 'POST', '/portal/api/logout', { cookie });
    await expectStatus(401, 'GET', '/portal/api/keys', { cookie });
  });

  it('ran every operation, and met each error status where it applies', () => {
    const succeeded = new Set(
      [...contract.covered].filter((c) => /\s[23]\d\d$/.test(c)).map((c) => c.split(' ')[0]),
    );
    expect(contract.operationIds().filter((id) => !succeeded.has(id))).toEqual([]);
    expect([...contract.covered]).toEqual(
      expect.arrayContaining([
        'createKey 400',
        'listKeys 401',
        'createPortalKey 403',
        'getKey 404',
        'updateKey 409',
        'updateKey 412',
        'createKey 413',
        'createKey 415',
        'createKey 422',
        'rotateKey 422',
        'extendGrace 409',
        'bulkKeys 409',
        'revokeCredentials 400',
        'deleteRole 409',
        'reportGitHubLeaks 401',
        'enterPortal 401',
      ]),
    );
  });
});
