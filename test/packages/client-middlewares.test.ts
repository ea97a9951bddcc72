import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import {
  DEFAULT_METHOD_PERMISSIONS as AUTHORIZER_METHOD_PERMISSIONS,
  requiredPermissions,
} from '#domain/verify/route-policy.ts';
import { REFUSAL_STATUS as AUTHORIZER_STATUS, REFUSALS } from '#domain/verify/verify.ts';
import { secretFrom as authorizerSecretFrom } from '#platform/http/authorizer-events.ts';
import { LatchkeyClient } from '../../packages/client/src/client.ts';
import { latchkey as expressLatchkey } from '../../packages/client/src/express.ts';
import { latchkey as fastifyLatchkey } from '../../packages/client/src/fastify.ts';
import { latchkey as honoLatchkey, type LatchkeyEnv } from '../../packages/client/src/hono.ts';
import {
  createKeyCheck,
  DEFAULT_METHOD_PERMISSIONS,
  type KeyCacheOptions,
  type KeyContext,
  REFUSAL_STATUS,
  secretFrom,
} from '../../packages/client/src/key-check.ts';
import { useTestService } from '../support/service.ts';

/**
 * Real Express, Fastify and Hono apps guarded by the client's middlewares, against the local
 * server: each request goes to the app and, the same, to the local server's /demo (the
 * authorizer), and both must answer the same status and code. The workspace comes from a header
 * on both sides (LATCHKEY_WORKSPACE_SOURCE).
 */
const WORKSPACE_HEADER = 'x-workspace-id';
// /demo's authorizer takes the workspace from this header (read by the service's settings at its start).
const service = useTestService({ env: { LATCHKEY_WORKSPACE_SOURCE: `header:${WORKSPACE_HEADER}` } });
let client: LatchkeyClient;

interface App {
  url: string;
  close(): Promise<void>;
}

type Framework = 'express' | 'fastify' | 'hono';
const FRAMEWORKS: Framework[] = ['express', 'fastify', 'hono'];

/** An app whose every route is guarded and echoes the key's context, as /demo does. */
async function startApp(framework: Framework, cache?: KeyCacheOptions): Promise<App> {
  const options = {
    client,
    cache,
    workspace: (h: (name: string) => string | undefined) => h(WORKSPACE_HEADER),
  };
  const echo = (context: KeyContext | null | undefined) => ({
    keyId: context?.keyId,
    actor: context?.actor,
    permissions: context?.permissions,
  });
  if (framework === 'express') {
    const app = express();
    app.use(expressLatchkey({ ...options, workspace: (req) => options.workspace((n) => req.get(n)) }));
    app.all('/demo/{*rest}', (req, res) => {
      res.json(echo(req.latchkey));
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }
  if (framework === 'fastify') {
    const app = Fastify();
    await app.register(fastifyLatchkey, {
      ...options,
      workspace: (req) => options.workspace((n) => req.headers[n] as string | undefined),
    });
    app.all('/demo/*', async (req) => echo(req.latchkey));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  }
  const app = new Hono<LatchkeyEnv>();
  app.use(
    '/demo/*',
    honoLatchkey({ ...options, workspace: (c) => options.workspace((n) => c.req.header(n)) }),
  );
  app.all('/demo/*', (c) => c.json(echo(c.get('latchkey'))));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Answer {
  status: number;
  code: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely
  body: any;
}

async function send(
  base: string,
  secret: string | undefined,
  init: { method?: string; workspace?: string } = {},
) {
  const res = await fetch(`${base}/demo/orders`, {
    method: init.method ?? 'GET',
    headers: {
      ...(secret === undefined ? {} : { authorization: `Bearer ${secret}` }),
      [WORKSPACE_HEADER]: init.workspace ?? 'ws-1',
    },
  });
  const body: Answer['body'] = await res.json();
  return { status: res.status, code: body.error?.code as string | undefined, body } satisfies Answer;
}

async function createKey(fields: Record<string, unknown> = {}) {
  return client.keys.create({ owner: 'alice', scope: { workspaceId: 'ws-1' }, roles: ['read'], ...fields });
}

const apps = new Map<Framework, App>();

beforeAll(async () => {
  client = new LatchkeyClient({ baseUrl: service.url, token: service.adminToken });
  for (const framework of FRAMEWORKS) apps.set(framework, await startApp(framework));
}, 120_000);

afterAll(async () => {
  for (const app of apps.values()) await app.close();
});

describe('the refusal codes and statuses are the authorizer’s', () => {
  it('every code the API can give has the authorizer’s status', () => {
    expect(Object.keys(REFUSAL_STATUS).sort()).toEqual([...REFUSALS].sort());
    for (const code of REFUSALS) expect(REFUSAL_STATUS[code]).toBe(AUTHORIZER_STATUS[code].status);
  });

  it('reads the secret from the same headers as the authorizer', () => {
    const live = newSecret(newKeyId(), 'production');
    const other = newSecret(newKeyId(), 'development');
    const cases: [Record<string, string>, string?][] = [
      [{}],
      [{ authorization: `Bearer ${live}` }],
      [{ authorization: `bearer   ${live}` }],
      [{ authorization: live }],
      [{ 'x-api-key': live }],
      [{ authorization: 'Bearer user-token', 'x-api-key': live }],
      [{ authorization: `Bearer ${live}`, 'x-api-key': other }],
      [{ authorization: `Bearer ${live}`, 'x-api-key': live }],
      [{ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'legacy-key' }],
      [{ authorization: 'Bearer a', 'x-api-key': 'b' }],
      [{ 'x-key': live, authorization: 'Bearer x' }, 'x-key'],
      [{ authorization: `Bearer ${live}` }, 'Authorization'],
      [{ 'x-api-key': '  ' }],
    ];
    for (const [headers, keyHeader] of cases)
      expect(secretFrom(headers, keyHeader), JSON.stringify(headers)).toBe(
        authorizerSecretFrom(headers, keyHeader),
      );
  });

  it('asks for the authorizer’s permission by method when nothing else says, an unknown method’s too', async () => {
    expect(DEFAULT_METHOD_PERMISSIONS).toEqual(AUTHORIZER_METHOD_PERMISSIONS);
    const asked: unknown[] = [];
    const check = createKeyCheck({
      client: new LatchkeyClient({
        baseUrl: 'http://latchkey.test',
        token: 'token',
        fetch: async (_url, init) => {
          asked.push(JSON.parse(String(init?.body)).permission);
          return Response.json({ code: 'NOT_FOUND' });
        },
      }),
    });
    const methods = [...Object.keys(AUTHORIZER_METHOD_PERMISSIONS), 'TRACE', 'PROPFIND'];
    for (const method of methods)
      await check({ method, headers: { authorization: 'Bearer a-key' }, sourceIp: undefined }, undefined);
    expect(asked).toEqual(
      methods.map(
        (method) =>
          requiredPermissions({ rules: [], defaults: AUTHORIZER_METHOD_PERMISSIONS }, method, '/')[0],
      ),
    );
  });

  it('refuses a cache longer than the authorizer’s bound', () => {
    expect(() => expressLatchkey({ client, cache: { seconds: 11 } })).toThrow(
      /cache.seconds must be 0 to 10/,
    );
  });
});

describe.each(FRAMEWORKS)('%s', (framework) => {
  const app = () => apps.get(framework) as App;

  /** The app and /demo answer alike; the app's answer. */
  async function alike(secret: string | undefined, init?: { method?: string; workspace?: string }) {
    const [mine, authorizer] = await Promise.all([
      send(app().url, secret, init),
      send(service.url, secret, init),
    ]);
    expect({ status: mine.status, code: mine.code }).toEqual({
      status: authorizer.status,
      code: authorizer.code,
    });
    return mine;
  }

  it('lets a valid key through with its context', async () => {
    const { key, secret } = await createKey({ type: 'service', name: `orders-${framework}` });
    const answer = await alike(secret);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ keyId: key.keyId, actor: `orders-${framework}`, permissions: ['*:read'] });
    const viaKeyHeader = await fetch(`${app().url}/demo/orders`, {
      headers: { 'x-api-key': secret, [WORKSPACE_HEADER]: 'ws-1' },
    });
    expect(viaKeyHeader.status).toBe(200);
  });

  it('refuses with each code the authorizer gives', async () => {
    const expectRefusal = async (
      secret: string | undefined,
      code: string,
      status: number,
      init?: { method?: string; workspace?: string },
    ) => {
      const answer = await alike(secret, init);
      expect({ status: answer.status, code: answer.code }).toEqual({ status, code });
      expect(answer.body.error.message).toEqual(expect.any(String));
    };
    await expectRefusal(undefined, 'MISSING', 401);
    await expectRefusal('lk_live_not-a-key', 'MALFORMED', 401);
    await expectRefusal(newSecret(newKeyId(), 'production'), 'NOT_FOUND', 401);

    const wrong = await createKey();
    await expectRefusal(newSecret(wrong.key.keyId, 'production'), 'INVALID_SECRET', 401);
    const canary = await createKey({ type: 'canary' });
    await expectRefusal(canary.secret, 'INVALID_SECRET', 401);

    const revoked = await createKey();
    await client.keys.revoke(revoked.key.keyId);
    await expectRefusal(revoked.secret, 'REVOKED', 401);

    const disabled = await createKey();
    await client.keys.update(disabled.key.keyId, { enabled: false });
    await expectRefusal(disabled.secret, 'DISABLED', 401);

    const expiring = await createKey({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 7_200_000);
      await expectRefusal(expiring.secret, 'EXPIRED', 401);
    } finally {
      vi.useRealTimers();
    }

    const elsewhere = await createKey({ ipAllowlist: ['203.0.113.0/24'] });
    await expectRefusal(elsewhere.secret, 'IP_NOT_ALLOWED', 403);

    const reader = await createKey();
    await expectRefusal(reader.secret, 'WORKSPACE_NOT_ALLOWED', 403, { workspace: 'ws-2' });
    await expectRefusal(reader.secret, 'INSUFFICIENT_PERMISSIONS', 403, { method: 'POST' });
  });

  it('refuses, without a cache, on the first request after the key is revoked', async () => {
    const { key, secret } = await createKey();
    expect((await send(app().url, secret)).status).toBe(200);
    await client.keys.revoke(key.keyId);
    expect(await send(app().url, secret)).toMatchObject({ status: 401, code: 'REVOKED' });
  });

  it('with a cache, lets a revoked key through for at most the cache’s seconds', async () => {
    const cached = await startApp(framework, { seconds: 2 });
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const { key, secret } = await createKey();
      expect((await send(cached.url, secret)).status).toBe(200);
      await client.keys.revoke(key.keyId);
      // Within the bound the cached decision answers: the cache is on.
      vi.advanceTimersByTime(1_999);
      expect((await send(cached.url, secret)).status).toBe(200);
      // At the bound it is gone: the revocation holds.
      vi.advanceTimersByTime(1);
      expect(await send(cached.url, secret)).toMatchObject({ status: 401, code: 'REVOKED' });
    } finally {
      vi.useRealTimers();
      await cached.close();
    }
  });

  it('fails closed with a 500 when the key cannot be checked', async () => {
    const { secret } = await createKey();
    const errors: unknown[] = [];
    const broken = new LatchkeyClient({ baseUrl: service.url, token: 'not-the-admin-token' });
    const guarded = expressLatchkey({ client: broken, onError: (e) => errors.push(e) });
    if (framework !== 'express') return; // one framework is enough: the failure path is the shared check's
    const server = express()
      .use(guarded)
      .all('/demo/{*rest}', (_req, res) => {
        res.json({});
      })
      .listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const answer = await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, secret);
      expect(answer).toMatchObject({ status: 500, code: 'AUTHORIZER_FAILURE' });
      expect(errors).toEqual([expect.objectContaining({ name: 'LatchkeyError', status: 401 })]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
