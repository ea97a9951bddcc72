import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { authorizerConfig } from '#config/authorizer.ts';
import type { KeyRecord } from '#domain/keys/key.ts';
import { newSecret } from '#domain/keys/secret.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import type { CheckRecord } from '#domain/usage/check-record.ts';
import { type PolicyDocument, policyAllows } from '#domain/verify/route-policy.ts';
import type { DecisionCode } from '#domain/verify/verify.ts';
import {
  type AuthorizerResult,
  createAuthorizer,
  type SimpleResult,
} from '#platform/http/authorizer-events.ts';
import { API, type Call, httpEvent, requestEvent, tokenEvent } from '../support/authorizer-events.ts';
import { storedKey } from '../support/fixtures.ts';

const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'q'.repeat(40) }));
const NOW = new Date('2026-06-01T12:00:00.000Z');

const makeKey = (overrides: Partial<KeyRecord> = {}) => storedKey(peppers, overrides);

function setup(env: Record<string, string> = {}, now = () => NOW) {
  const keys = new Map<string, KeyRecord>();
  const reads: string[] = [];
  const checks: CheckRecord[] = [];
  const authorize = createAuthorizer(
    {
      getKey: async (keyId) => {
        reads.push(keyId);
        return keys.get(keyId);
      },
      peppers: async () => peppers,
      now,
      customRoles: async () =>
        new Map([['refunds', { name: 'refunds', description: '', permissions: ['refunds:*'] }]]),
      record: (check) => checks.push(check),
      observe: () => undefined,
      fault: () => undefined,
    },
    authorizerConfig({
      LATCHKEY_ROUTE_PERMISSIONS: JSON.stringify({
        'GET /orders/*': 'orders:read',
        'POST /orders/*': 'orders:write',
        'DELETE /orders/*': 'orders:delete',
        'ANY /admin/*': 'admin:all',
      }),
      LATCHKEY_WORKSPACE_SOURCE: 'header:X-Workspace-Id',
      ...env,
    }),
  );
  const add = (overrides: Partial<KeyRecord> = {}) => {
    const made = makeKey(overrides);
    keys.set(made.record.keyId, made.record);
    return made;
  };
  return {
    authorize,
    add,
    keys,
    reads,
    checks,
    /** Each counted check as its key and outcome. */
    get recorded() {
      return checks.map((c) => [c.keyId, c.outcome]);
    },
  };
}

type Format = 'token' | 'request' | 'http';
const FORMATS: Format[] = ['token', 'request', 'http'];

/** What API Gateway would answer: 200, 401, 403, or 500 for a thrown fault. */
async function outcome(
  authorize: (e: never) => Promise<AuthorizerResult>,
  format: Format,
  call: Call,
  secret?: string,
) {
  const headers = {
    ...(secret ? { Authorization: `Bearer ${secret}` } : {}),
    'X-Workspace-Id': 'ws-1',
    ...call.headers,
  };
  const event =
    format === 'token'
      ? tokenEvent(call, secret ? `Bearer ${secret}` : undefined)
      : format === 'request'
        ? requestEvent({ ...call, headers })
        : httpEvent({ ...call, headers });
  try {
    const result = await authorize(event as never);
    const arn = `${API}/${call.method}${call.path}`;
    const allowed =
      'isAuthorized' in result
        ? result.isAuthorized
        : policyAllows(result.policyDocument as PolicyDocument, arn);
    return { status: allowed ? 200 : 403, result };
  } catch (error) {
    return { status: (error as Error).message === 'Unauthorized' ? 401 : 500, result: undefined };
  }
}

const GET_ORDER = { method: 'GET', path: '/orders/42' };

describe('the authorizer: every code through every event format', () => {
  // TOKEN events carry no source IP and no headers, so IP and header-workspace checks fail closed there.
  // HTTP APIs answer a thrown error with 500, so an HTTP API refusal is isAuthorized: false (403) with the code.
  const cases: Array<{
    code: DecisionCode;
    status: Record<Format, number>;
    arrange: (s: ReturnType<typeof setup>) => { secret?: string; call?: Call };
  }> = [
    { code: 'MISSING', status: { token: 401, request: 401, http: 403 }, arrange: () => ({}) },
    {
      code: 'MALFORMED',
      status: { token: 401, request: 401, http: 403 },
      arrange: (s) => {
        const { secret } = s.add();
        return { secret: `${secret.slice(0, -1)}${secret.endsWith('0') ? '1' : '0'}` };
      },
    },
    {
      code: 'NOT_FOUND',
      status: { token: 401, request: 401, http: 403 },
      arrange: () => ({ secret: makeKey().secret }),
    },
    {
      code: 'INVALID_SECRET',
      status: { token: 401, request: 401, http: 403 },
      arrange: (s) => {
        const { record } = s.add();
        const forged = newSecret(record.keyId, 'production');
        return { secret: forged };
      },
    },
    {
      code: 'REVOKED',
      status: { token: 401, request: 401, http: 403 },
      arrange: (s) => ({ secret: s.add({ status: 'revoked' }).secret }),
    },
    {
      code: 'DISABLED',
      status: { token: 401, request: 401, http: 403 },
      arrange: (s) => ({ secret: s.add({ status: 'inactive' }).secret }),
    },
    {
      code: 'EXPIRED',
      status: { token: 401, request: 401, http: 403 },
      arrange: (s) => ({ secret: s.add({ expiresAt: NOW.toISOString() }).secret }),
    },
    {
      code: 'IP_NOT_ALLOWED',
      status: { token: 403, request: 403, http: 403 },
      arrange: (s) => ({ secret: s.add({ ipAllowlist: ['10.0.0.0/8'] }).secret }),
    },
    {
      code: 'WORKSPACE_NOT_ALLOWED',
      status: { token: 403, request: 403, http: 403 },
      arrange: (s) => ({ secret: s.add({ scope: { workspaceId: 'ws-2' } }).secret }),
    },
    {
      code: 'INSUFFICIENT_PERMISSIONS',
      status: { token: 403, request: 403, http: 403 },
      arrange: (s) => ({ secret: s.add({ roles: [], permissions: ['orders:write'] }).secret }),
    },
  ];

  for (const testCase of cases) {
    for (const format of FORMATS) {
      it(`${testCase.code} via ${format}`, async () => {
        const s = setup(format === 'token' ? { LATCHKEY_WORKSPACE_SOURCE: 'fixed:ws-1' } : {});
        const { secret, call } = testCase.arrange(s);
        const { status, result } = await outcome(s.authorize, format, call ?? GET_ORDER, secret);
        expect(status).toBe(testCase.status[format]);
        if (status === 403) expect(result?.context?.code).toBe(testCase.code);
        const reads = testCase.code === 'MISSING' || testCase.code === 'MALFORMED' ? 0 : 1;
        expect(s.reads).toHaveLength(reads);
      });
    }
  }

  for (const format of FORMATS) {
    it(`VALID via ${format}: allows, with the key context and never the secret`, async () => {
      const s = setup(format === 'token' ? { LATCHKEY_WORKSPACE_SOURCE: 'fixed:ws-1' } : {});
      const { record, secret } = s.add({ usageIdentifierKey: 'plan-key-1' });
      const { status, result } = await outcome(s.authorize, format, GET_ORDER, secret);
      expect(status).toBe(200);
      expect(result?.context).toMatchObject({
        keyId: record.keyId,
        name: 'orders service',
        owner: 'team-orders',
        type: 'service',
        roles: 'read',
        workspaceId: 'ws-1',
        actor: 'orders service',
        code: 'VALID',
      });
      expect(String(result?.context?.permissions).split(',').sort()).toEqual(['*:read', 'orders:write']);
      for (const value of Object.values(result?.context ?? {})) expect(typeof value).toBe('string');
      expect(JSON.stringify(result)).not.toContain(secret);
      if (format === 'http') expect(result).not.toHaveProperty('usageIdentifierKey');
      else expect(result).toMatchObject({ principalId: record.keyId, usageIdentifierKey: 'plan-key-1' });
      expect(s.reads).toEqual([record.keyId]);
      expect(s.recorded).toEqual([[record.keyId, 'ALLOWED']]);
    });
  }

  it('gives HTTP API IAM-policy responses when configured', async () => {
    const s = setup({ LATCHKEY_HTTP_API_RESPONSE: 'iam' });
    const { secret } = s.add();
    const { status, result } = await outcome(s.authorize, 'http', GET_ORDER, secret);
    expect(status).toBe(200);
    expect(result).toHaveProperty('policyDocument');
  });
});

describe('the authorizer: details', () => {
  it("records each counted check with the route's resource path, the address, the agent cut to 128 bytes, its time and Region", async () => {
    const s = setup();
    const { record, secret } = s.add();
    const agent = `Mozilla/5.0 ${'中'.repeat(100)}`;
    const event = requestEvent({
      method: 'GET',
      path: '/orders/42',
      resource: '/orders/{orderId}',
      sourceIp: '2001:db8::7',
      headers: { authorization: `Bearer ${secret}`, 'user-agent': agent, 'x-workspace-id': 'ws-1' },
    });
    await s.authorize(event);
    const [check] = s.checks;
    expect(check).toMatchObject({
      keyId: record.keyId,
      at: NOW.toISOString(),
      outcome: 'ALLOWED',
      method: 'GET',
      path: '/orders/{orderId}',
      sourceIp: '2001:db8::7',
      region: 'us-east-1',
    });
    expect(Buffer.byteLength(check?.userAgent ?? '')).toBeLessThanOrEqual(128);
    expect(agent.startsWith(check?.userAgent ?? 'x')).toBe(true);
    expect(check?.latencyMs).toBeGreaterThanOrEqual(0);
    // A TOKEN event names neither a resource nor an address: the request's path, and no address.
    await s.authorize(tokenEvent({ method: 'DELETE', path: '/orders/42' }, secret)).catch(() => undefined);
    expect(s.checks[1]).toMatchObject({
      method: 'DELETE',
      path: '/orders/42',
      sourceIp: null,
      userAgent: null,
    });
  });

  it('reads the key from x-api-key and from headers in any case', async () => {
    const s = setup();
    const { secret } = s.add();
    const variants: Record<string, string>[] = [
      { 'x-api-key': secret },
      { 'X-API-KEY': secret },
      { AUTHORIZATION: `bearer ${secret}` },
    ];
    for (const headers of variants) {
      const event = requestEvent({ ...GET_ORDER, headers: { ...headers, 'x-workspace-id': 'ws-1' } });
      const result = await s.authorize(event);
      expect(
        policyAllows((result as { policyDocument: PolicyDocument }).policyDocument, event.methodArn),
      ).toBe(true);
    }
    await expect(
      s.authorize(requestEvent({ ...GET_ORDER, headers: { Authorization: 'Basic abc' } })),
    ).rejects.toThrow('Unauthorized');
  });

  it('checks IPv6 allowlists', async () => {
    const s = setup();
    const { secret } = s.add({ ipAllowlist: ['2001:db8::/32'] });
    expect(
      (await outcome(s.authorize, 'request', { ...GET_ORDER, sourceIp: '2001:db8::7' }, secret)).status,
    ).toBe(200);
    expect(
      (await outcome(s.authorize, 'http', { ...GET_ORDER, sourceIp: '2001:db8:1::7' }, secret)).status,
    ).toBe(200);
    const refused = await outcome(s.authorize, 'request', { ...GET_ORDER, sourceIp: '2001:db9::7' }, secret);
    expect(refused.status).toBe(403);
    expect(refused.result?.context?.code).toBe('IP_NOT_ALLOWED');
  });

  it('treats expiresAt == now as expired and one millisecond before as valid', async () => {
    let now = new Date(NOW.getTime() - 1);
    const s = setup({}, () => now);
    const { secret } = s.add({ expiresAt: NOW.toISOString() });
    expect((await outcome(s.authorize, 'request', GET_ORDER, secret)).status).toBe(200);
    now = NOW;
    expect((await outcome(s.authorize, 'request', GET_ORDER, secret)).status).toBe(401);
    expect(s.recorded.at(-1)?.[1]).toBe('EXPIRED');
  });

  it('matches organization keys to "*" or their listed workspaces, from a header or a path parameter', async () => {
    const s = setup({ LATCHKEY_WORKSPACE_SOURCE: 'path:workspaceId' });
    const all = s.add({ scope: { organizationId: 'org', workspaceIds: '*' } }).secret;
    const some = s.add({ scope: { organizationId: 'org', workspaceIds: ['ws-a', 'ws-b'] } }).secret;
    const call = (ws: string) => ({
      method: 'GET',
      path: `/w/${ws}/orders`,
      pathParameters: { workspaceId: ws },
    });
    expect((await outcome(s.authorize, 'request', call('ws-z'), all)).status).toBe(200);
    expect((await outcome(s.authorize, 'http', call('ws-b'), some)).status).toBe(200);
    expect((await outcome(s.authorize, 'request', call('ws-c'), some)).status).toBe(403);
    expect((await outcome(s.authorize, 'request', { method: 'GET', path: '/w' }, all)).status).toBe(403);
  });

  it('unions custom role permissions into the check', async () => {
    const s = setup({ LATCHKEY_ROUTE_PERMISSIONS: JSON.stringify({ 'POST /refunds': 'refunds:create' }) });
    const { secret } = s.add({ roles: ['refunds'], permissions: [] });
    expect((await outcome(s.authorize, 'request', { method: 'POST', path: '/refunds' }, secret)).status).toBe(
      200,
    );
    expect((await outcome(s.authorize, 'request', { method: 'POST', path: '/other' }, secret)).status).toBe(
      403,
    );
  });
});

describe('cache-safe policies', () => {
  const routes: Call[] = [
    { method: 'GET', path: '/orders/42' },
    { method: 'POST', path: '/orders/42' },
    { method: 'DELETE', path: '/orders/42' },
    { method: 'GET', path: '/admin/users' },
    { method: 'POST', path: '/admin/users' },
    { method: 'GET', path: '/health' },
    { method: 'PUT', path: '/profile' },
  ];
  const keys: Array<Partial<KeyRecord>> = [
    { roles: ['read'], permissions: [] },
    { roles: ['read'], permissions: ['orders:write'] },
    { roles: ['write'], permissions: [] },
    { roles: ['admin'], permissions: [] },
    { roles: [], permissions: ['orders:*'] },
    { roles: [], permissions: ['admin:all'] },
    { roles: [], permissions: [] },
  ];

  it('a policy obtained on route A answers route B exactly as a fresh check of B does', async () => {
    for (const overrides of keys) {
      const s = setup();
      const { secret } = s.add(overrides);
      const fresh = new Map<string, number>();
      const policies = new Map<string, PolicyDocument>();
      for (const route of routes) {
        const { status, result } = await outcome(s.authorize, 'request', route, secret);
        fresh.set(`${route.method} ${route.path}`, status);
        policies.set(
          `${route.method} ${route.path}`,
          (result as { policyDocument: PolicyDocument }).policyDocument,
        );
      }
      for (const [, cached] of policies) {
        for (const route of routes) {
          const viaCache = policyAllows(cached, `${API}/${route.method}${route.path}`) ? 200 : 403;
          expect(viaCache, `${JSON.stringify(overrides)} ${route.method} ${route.path}`).toBe(
            fresh.get(`${route.method} ${route.path}`),
          );
        }
      }
    }
  });

  it('grants the method defaults: read role reaches GET routes with no rule, not PUT', async () => {
    const s = setup();
    const { secret } = s.add({ roles: ['read'], permissions: [] });
    expect((await outcome(s.authorize, 'request', { method: 'GET', path: '/health' }, secret)).status).toBe(
      200,
    );
    expect((await outcome(s.authorize, 'request', { method: 'PUT', path: '/profile' }, secret)).status).toBe(
      403,
    );
  });
});

describe('authorizer configuration', () => {
  it('refuses a malformed route map or workspace source, naming it', () => {
    expect(() => authorizerConfig({ LATCHKEY_ROUTE_PERMISSIONS: '{"FETCH /x": "a:b"}' })).toThrow(
      /FETCH \/x/,
    );
    expect(() => authorizerConfig({ LATCHKEY_ROUTE_PERMISSIONS: '[1]' })).toThrow(/JSON object/);
    expect(() => authorizerConfig({ LATCHKEY_WORKSPACE_SOURCE: 'cookie:ws' })).toThrow(
      /LATCHKEY_WORKSPACE_SOURCE/,
    );
    expect(() => authorizerConfig({ LATCHKEY_HTTP_API_RESPONSE: 'both' })).toThrow(/simple/);
  });
});

/** AWS's own sample events (sources and commits in test/fixtures/aws-events/README.md). */
// biome-ignore lint/suspicious/noExplicitAny: sample events are edited freely per test
const sample = (file: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/aws-events/${file}`, import.meta.url), 'utf8'));

const ROUTES = {
  'GET /orders/*': 'orders:read',
  'DELETE /orders/*': 'orders:delete',
};

describe('HTTP APIs: one request, one answer', () => {
  // Powertools' HTTP API sample, captured from a real $default stage (route "POST /lambda"),
  // aws-powertools/powertools-lambda-typescript packages/parser/tests/events/apigw-http/authorizer-request.json @1e5fe1b4.
  // For each route shape, routeArn and routeKey carry the route (its template), while
  // requestContext.http.method and rawPath carry the request itself.
  const shapes = [
    {
      shape: 'a path with parameters',
      routeKey: (m: string) => `${m} /orders/{orderId}`,
      arnPath: (m: string) => `${m}/orders/{orderId}`,
      pathParameters: { orderId: '42' },
    },
    {
      shape: 'ANY /{proxy+}',
      routeKey: () => 'ANY /{proxy+}',
      arnPath: () => 'ANY/{proxy+}',
      pathParameters: { proxy: 'orders/42' },
    },
    { shape: '$default', routeKey: () => '$default', arnPath: () => '$default', pathParameters: {} },
  ];
  const httpRequest = (shape: (typeof shapes)[number], method: string, secret: string) => {
    const event = sample('powertools-apigw-http-authorizer-request.json');
    const api = event.routeArn.split('/').slice(0, 2).join('/');
    event.routeArn = `${api}/${shape.arnPath(method)}`;
    event.routeKey = shape.routeKey(method);
    event.requestContext.routeKey = event.routeKey;
    event.requestContext.http.method = method;
    event.rawPath = '/orders/42';
    event.requestContext.http.path = '/orders/42';
    event.pathParameters = shape.pathParameters;
    event.headers.authorization = `Bearer ${secret}`;
    event.identitySource = [`Bearer ${secret}`];
    return event;
  };

  for (const shape of shapes) {
    for (const [method, allowed] of [
      ['GET', true],
      ['DELETE', false],
    ] as const) {
      it(`${shape.shape}: ${method} /orders/42 is decided on the request's method and path`, async () => {
        const s = setup({
          LATCHKEY_ROUTE_PERMISSIONS: JSON.stringify(ROUTES),
          LATCHKEY_WORKSPACE_SOURCE: '',
        });
        const { record, secret } = s.add({ roles: [], permissions: ['orders:read'] });
        const result = (await s.authorize(httpRequest(shape, method, secret))) as {
          isAuthorized: boolean;
          context: Record<string, string>;
        };
        expect(result.isAuthorized).toBe(allowed);
        expect(result.context.code).toBe(allowed ? 'VALID' : 'INSUFFICIENT_PERMISSIONS');
        expect(s.recorded).toEqual([[record.keyId, allowed ? 'ALLOWED' : 'INSUFFICIENT_PERMISSIONS']]);
      });
    }
    it(`${shape.shape}: IAM-policy answers allow or deny exactly the route API Gateway evaluates`, async () => {
      const s = setup({
        LATCHKEY_ROUTE_PERMISSIONS: JSON.stringify(ROUTES),
        LATCHKEY_WORKSPACE_SOURCE: '',
        LATCHKEY_HTTP_API_RESPONSE: 'iam',
      });
      const { secret } = s.add({ roles: [], permissions: ['orders:read'] });
      for (const [method, allowed] of [
        ['GET', true],
        ['DELETE', false],
      ] as const) {
        const event = httpRequest(shape, method, secret);
        const result = (await s.authorize(event)) as {
          policyDocument: PolicyDocument;
          context: Record<string, string>;
        };
        expect(policyAllows(result.policyDocument, event.routeArn), method).toBe(allowed);
        expect(result.context.code).toBe(allowed ? 'VALID' : 'INSUFFICIENT_PERMISSIONS');
      }
    });
  }

  it('strips a named stage from rawPath', async () => {
    const s = setup({ LATCHKEY_ROUTE_PERMISSIONS: JSON.stringify(ROUTES), LATCHKEY_WORKSPACE_SOURCE: '' });
    const { secret } = s.add({ roles: [], permissions: ['orders:read'] });
    const event = httpRequest(shapes[2] as (typeof shapes)[number], 'GET', secret);
    event.requestContext.stage = 'prod';
    event.routeArn = event.routeArn.replace('/$default/', '/prod/');
    event.rawPath = '/prod/orders/42';
    expect(((await s.authorize(event)) as { isAuthorized: boolean }).isAuthorized).toBe(true);
  });

  it("on AWS's documented 2.0 sample (routeArn GET, http.method POST) a read-only key is refused, and counted so", async () => {
    // aws/aws-lambda-go events/testdata/apigw-v2-custom-authorizer-v2-request.json @815d21f4, as published
    // but for the key: the request is POST /my/path, whatever the routeArn says.
    const s = setup({ LATCHKEY_WORKSPACE_SOURCE: '' });
    const { record, secret } = s.add({ roles: ['read'], permissions: [] });
    const event = sample('aws-lambda-go-apigw-v2-custom-authorizer-v2-request.json');
    event.headers.Authorization = `Bearer ${secret}`;
    const result = await s.authorize(event);
    expect(result).toEqual({
      isAuthorized: false,
      context: expect.objectContaining({ code: 'INSUFFICIENT_PERMISSIONS' }),
    });
    expect(s.recorded).toEqual([[record.keyId, 'INSUFFICIENT_PERMISSIONS']]);
    // The `$default` route names no resource path: the request's path is what is counted. The
    // sample's sourceIp is the word "IP", which is no address, so none is kept.
    expect(s.checks[0]).toMatchObject({
      method: 'POST',
      path: '/my/path',
      sourceIp: null,
      userAgent: 'agent',
      region: 'us-east-1',
    });
    event.requestContext.http.method = 'GET';
    expect(await s.authorize(event)).toMatchObject({ isAuthorized: true, context: { code: 'VALID' } });
  });

  it('never throws for an unauthenticated key: isAuthorized false with the code, or a Deny policy', async () => {
    const simple = setup({ LATCHKEY_WORKSPACE_SOURCE: '' });
    const revoked = simple.add({ status: 'revoked' }).secret;
    const event = sample('powertools-apigw-http-authorizer-request.json');
    event.headers.authorization = `Bearer ${revoked}`;
    expect(await simple.authorize(event)).toEqual({ isAuthorized: false, context: { code: 'REVOKED' } });
    delete event.headers.authorization;
    expect(await simple.authorize(event)).toEqual({ isAuthorized: false, context: { code: 'MISSING' } });

    const iam = setup({ LATCHKEY_WORKSPACE_SOURCE: '', LATCHKEY_HTTP_API_RESPONSE: 'iam' });
    const stale = iam.add({ status: 'revoked' }).secret;
    event.headers.authorization = `Bearer ${stale}`;
    const denied = (await iam.authorize(event)) as {
      policyDocument: PolicyDocument;
      context: Record<string, string>;
    };
    expect(policyAllows(denied.policyDocument, event.routeArn)).toBe(false);
    expect(denied.context).toEqual({ code: 'REVOKED' });
  });

  it('answers payload 1.0 events of HTTP APIs with principalId, policyDocument and context only', async () => {
    // aws/aws-lambda-go events/testdata/apigw-v2-custom-authorizer-v1-request.json @815d21f4.
    const s = setup({ LATCHKEY_WORKSPACE_SOURCE: '' });
    const { record, secret } = s.add({ usageIdentifierKey: 'plan-key-1' });
    const event = sample('aws-lambda-go-apigw-v2-custom-authorizer-v1-request.json');
    event.headers.Authorization = `Bearer ${secret}`;
    const result = await s.authorize(event);
    expect(Object.keys(result).sort()).toEqual(['context', 'policyDocument', 'principalId']);
    expect(result).toMatchObject({ principalId: record.keyId, context: { code: 'VALID' } });
    expect(policyAllows((result as { policyDocument: PolicyDocument }).policyDocument, event.methodArn)).toBe(
      true,
    );

    event.httpMethod = 'POST';
    const refused = await s.authorize(event);
    expect(Object.keys(refused).sort()).toEqual(['context', 'policyDocument', 'principalId']);
    expect(
      policyAllows((refused as { policyDocument: PolicyDocument }).policyDocument, event.methodArn),
    ).toBe(false);

    event.headers.Authorization = 'Bearer lk_live_nope';
    const unknown = await s.authorize(event);
    expect(unknown).toMatchObject({ context: { code: 'MALFORMED' } });
    expect(
      policyAllows((unknown as { policyDocument: PolicyDocument }).policyDocument, event.methodArn),
    ).toBe(false);
  });
});

describe('both headers at once', () => {
  // A user's token in Authorization and a Latchkey key in x-api-key (or the other way round).
  const USER_TOKEN = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl';
  const orders = (headers: Record<string, string>, format: 'request' | 'http') => {
    if (format === 'request') {
      // Powertools' REST REQUEST sample, packages/parser/tests/events/apigw-rest/authorizer-request.json @1e5fe1b4.
      const event = sample('powertools-apigw-rest-authorizer-request.json');
      delete event.headers.Authorization;
      delete event.multiValueHeaders.Authorization;
      event.methodArn = event.methodArn.replace('/POST/lambda-request', '/GET/orders');
      event.httpMethod = 'GET';
      Object.assign(event.headers, headers);
      return event;
    }
    const event = sample('powertools-apigw-http-authorizer-request.json');
    delete event.headers.authorization;
    event.requestContext.http.method = 'GET';
    event.rawPath = '/orders';
    Object.assign(event.headers, headers);
    return event;
  };
  const allowed = (result: AuthorizerResult, event: { methodArn?: string }) =>
    'isAuthorized' in result
      ? result.isAuthorized
      : policyAllows(result.policyDocument as PolicyDocument, event.methodArn as string);

  for (const format of ['request', 'http'] as const) {
    it(`takes the one Latchkey-prefixed value, in either order (${format})`, async () => {
      const s = setup({ LATCHKEY_WORKSPACE_SOURCE: '' });
      const { secret } = s.add();
      const variants: Record<string, string>[] = [
        { Authorization: USER_TOKEN, 'x-api-key': secret },
        { 'x-api-key': secret, Authorization: USER_TOKEN },
        { authorization: `Bearer ${secret}`, 'X-Api-Key': 'user-api-key-123' },
        { 'X-Api-Key': 'user-api-key-123', authorization: `Bearer ${secret}` },
      ];
      for (const headers of variants) {
        const event = orders(headers, format);
        expect(allowed(await s.authorize(event), event), JSON.stringify(Object.keys(headers))).toBe(true);
      }
    });

    it(`reads only the header the configuration names (${format})`, async () => {
      const s = setup({ LATCHKEY_WORKSPACE_SOURCE: '', LATCHKEY_KEY_HEADER: 'x-api-key' });
      const { secret } = s.add();
      const good = orders({ Authorization: `Bearer ${secret}`, 'X-API-KEY': secret }, format);
      expect(allowed(await s.authorize(good), good)).toBe(true);
      const elsewhere = orders({ Authorization: `Bearer ${secret}` }, format);
      const outcome = await s.authorize(elsewhere).catch((error: Error) => error.message);
      expect(outcome === 'Unauthorized' || (outcome as SimpleResult).context?.code === 'MISSING').toBe(true);
    });
  }

  it('refuses two different Latchkey keys as MALFORMED, without a read', async () => {
    const s = setup({ LATCHKEY_WORKSPACE_SOURCE: '' });
    const [a, b] = [s.add().secret, s.add().secret];
    const event = orders({ Authorization: `Bearer ${a}`, 'x-api-key': b }, 'http');
    expect(await s.authorize(event)).toEqual({ isAuthorized: false, context: { code: 'MALFORMED' } });
    expect(s.reads).toEqual([]);
  });
});

describe('a check that outlasts its deadline', () => {
  it('fails closed as a fault (reported, with the key ID) once the deadline passes, however many calls are slow', async () => {
    vi.useFakeTimers();
    try {
      const faults: Array<[string, string | undefined]> = [];
      const made = makeKey();
      const authorize = createAuthorizer(
        {
          getKey: () => new Promise<never>(() => undefined),
          peppers: async () => peppers,
          now: () => NOW,
          customRoles: async () => new Map(),
          observe: () => undefined,
          fault: (error, keyId) => faults.push([(error as Error).name, keyId]),
        },
        authorizerConfig({ LATCHKEY_CHECK_DEADLINE_MS: '3500' }),
      );
      const outcome = authorize(
        requestEvent({ ...GET_ORDER, headers: { authorization: `Bearer ${made.secret}` } }),
      ).catch((error: Error) => error.message);
      await vi.advanceTimersByTimeAsync(3499);
      expect(faults).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(await outcome).toMatch(/Authorizer fault/);
      expect(faults).toEqual([['CheckDeadlineExceeded', made.record.keyId]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a deadline that would not leave the Lambda time to report', () => {
    expect(() => authorizerConfig({ LATCHKEY_CHECK_DEADLINE_MS: '0' })).toThrow(/LATCHKEY_CHECK_DEADLINE_MS/);
  });
});
