import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardProxy } from '../../cli/src/lib/dashboard-proxy.ts';
import { regionFromHost } from '../../packages/client/src/client.ts';
import { CREDENTIALS, resign, useCredentialEnv, useSignedApi } from '../support/signed-api.ts';

/**
 * `latchkey dashboard` in front of a deployment: a stand-in for API Gateway on 127.0.0.1
 * recomputes the SigV4 signature of every request the proxy forwards, from known credentials.
 */
const REGION = 'eu-west-1';

const api = useSignedApi((request, signatureValid) => {
  if (!signatureValid) return [403, { message: 'The request signature we calculated does not match' }];
  if (request.method === 'PATCH')
    return [412, { error: { code: 'PRECONDITION_FAILED', message: 'the key has changed' } }];
  return [200, { items: [], nextCursor: null }, { etag: '"7"' }];
});
const seen = api.received;
useCredentialEnv({ AWS_REGION: REGION, AWS_PROFILE: undefined }, 'file');
let proxy: Awaited<ReturnType<typeof startDashboardProxy>>;

beforeAll(async () => {
  proxy = await startDashboardProxy({ endpoint: api.endpoint });
}, 60_000);

afterAll(async () => {
  await proxy?.close();
});

const origin = () => new URL(proxy.url).origin;

describe('latchkey dashboard proxy', () => {
  it('prints a 127.0.0.1 link with its random token in the fragment', () => {
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=lk_dash_[A-Za-z0-9_-]{32}$/);
    expect(proxy.url.endsWith(proxy.token)).toBe(true);
  });

  it('refuses calls without the right token and forwards none of them', async () => {
    const before = seen.length;
    expect((await fetch(`${origin()}/v1/keys`)).status).toBe(401);
    const wrong = await fetch(`${origin()}/v1/keys`, { headers: { authorization: 'Bearer lk_dash_wrong' } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const post = await fetch(`${origin()}/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${proxy.token}x`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(post.status).toBe(401);
    expect(seen.length).toBe(before);
  });

  it('signs each forwarded call with SigV4 (execute-api) and drops the token', async () => {
    const res = await fetch(`${origin()}/v1/keys?owner=alice&limit=5`, {
      headers: { authorization: `Bearer ${proxy.token}`, accept: 'application/json', cookie: 'a=b' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"7"');
    expect(await res.json()).toEqual({ items: [], nextCursor: null });
    const request = seen.at(-1) as (typeof seen)[number];
    expect(request).toMatchObject({
      method: 'GET',
      url: '/prod/v1/keys?owner=alice&limit=5',
      signatureValid: true,
    });
    const { region, service } = await resign(request);
    expect(`${region}/${service}`).toBe(`${REGION}/execute-api`);
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(JSON.stringify(request.headers)).not.toContain(proxy.token);
    expect(request.headers.cookie).toBeUndefined();
    expect(request.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
  });

  it('signs bodies and If-Match, and relays the answer as it came', async () => {
    const res = await fetch(`${origin()}/v1/keys/key_abcdefghijklmnopqrstuv`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${proxy.token}`,
        'content-type': 'application/json',
        'if-match': '"3"',
      },
      body: JSON.stringify({ name: 'renamed' }),
    });
    expect(res.status).toBe(412);
    expect(await res.json()).toEqual({
      error: { code: 'PRECONDITION_FAILED', message: 'the key has changed' },
    });
    const request = seen.at(-1) as (typeof seen)[number];
    expect(request).toMatchObject({
      method: 'PATCH',
      url: '/prod/v1/keys/key_abcdefghijklmnopqrstuv',
      body: '{"name":"renamed"}',
      signatureValid: true,
    });
    expect(request.headers.authorization).toMatch(/SignedHeaders=[^,]*if-match/);
  });

  it('has a stand-in that does refuse a bad signature', async () => {
    const res = await fetch(`${api.endpoint}/v1/keys`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/20260101/${REGION}/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': '20260101T000000Z',
      },
    });
    expect(res.status).toBe(403);
    expect(seen.at(-1)?.signatureValid).toBe(false);
  });

  it('serves the same page, with its security headers, for every app path', async () => {
    for (const path of ['/', '/keys/key_abcdefghijklmnopqrstuv', '/roles']) {
      const res = await fetch(`${origin()}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('answers only to its own host names', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        `${origin()}/`,
        { headers: { host: `attacker.example:${new URL(origin()).port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('takes the region from the execute-api host when none is given', () => {
    expect(regionFromHost(new URL('https://abc123.execute-api.ap-southeast-2.amazonaws.com/v1').host)).toBe(
      'ap-southeast-2',
    );
    expect(regionFromHost(new URL('http://127.0.0.1:9999/prod').host)).toBeUndefined();
  });
});
