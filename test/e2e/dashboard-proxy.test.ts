import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardProxy } from '../../cli/src/lib/dashboard-proxy.ts';
import { regionFromHost } from '../../cli/src/lib/sigv4.ts';

/**
 * `latchkey dashboard` in front of a deployment: a stand-in for API Gateway on 127.0.0.1
 * recomputes the SigV4 signature of every request the proxy forwards, from known credentials.
 */

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLEDASHBOARD',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN',
};
const REGION = 'eu-west-1';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  signatureValid: boolean;
  scope: string;
}

const seen: Seen[] = [];
let standIn: Server;
let endpoint: string;
let proxy: Awaited<ReturnType<typeof startDashboardProxy>>;
const savedEnv: Record<string, string | undefined> = {};

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** What API Gateway does with IAM auth: rebuild the canonical request from the signed headers and sign again. */
async function verify(req: IncomingMessage, payload: Buffer): Promise<{ valid: boolean; scope: string }> {
  const auth = req.headers.authorization ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!match) return { valid: false, scope: '' };
  const [, accessKeyId, , region, service, signedHeaders] = match as unknown as string[];
  const amzDate = String(req.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const headers: Record<string, string> = {};
  for (const name of (signedHeaders as string).split(';')) headers[name] = String(req.headers[name] ?? '');
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const signer = new SignatureV4({
    service: service as string,
    region: region as string,
    credentials: CREDENTIALS,
    sha256: Sha256,
  });
  const again = await signer.sign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers,
      body: payload.length ? payload : undefined,
    },
    { signingDate },
  );
  return {
    valid: accessKeyId === CREDENTIALS.accessKeyId && again.headers.authorization === auth,
    scope: `${region}/${service}`,
  };
}

beforeAll(async () => {
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_REGION',
    'AWS_PROFILE',
  ]) {
    savedEnv[name] = process.env[name];
  }
  process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
  process.env.AWS_SESSION_TOKEN = CREDENTIALS.sessionToken;
  process.env.AWS_REGION = REGION;
  delete process.env.AWS_PROFILE;

  standIn = createServer(async (req, res) => {
    const payload = await body(req);
    const { valid, scope } = await verify(req, payload);
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: payload.toString(),
      signatureValid: valid,
      scope,
    });
    if (!valid) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'The request signature we calculated does not match' }));
    } else if (req.method === 'PATCH') {
      res.writeHead(412, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'PRECONDITION_FAILED', message: 'the key has changed' } }));
    } else {
      res.writeHead(200, { 'content-type': 'application/json', etag: '"7"' });
      res.end(JSON.stringify({ items: [], nextCursor: null }));
    }
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}/prod`;
  proxy = await startDashboardProxy({ endpoint });
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await new Promise<void>((resolve) => standIn.close(() => resolve()));
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
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
    const request = seen.at(-1) as Seen;
    expect(request).toMatchObject({
      method: 'GET',
      url: '/prod/v1/keys?owner=alice&limit=5',
      signatureValid: true,
    });
    expect(request.scope).toBe(`${REGION}/execute-api`);
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
    const request = seen.at(-1) as Seen;
    expect(request).toMatchObject({
      method: 'PATCH',
      url: '/prod/v1/keys/key_abcdefghijklmnopqrstuv',
      body: '{"name":"renamed"}',
      signatureValid: true,
    });
    expect(request.headers.authorization).toMatch(/SignedHeaders=[^,]*if-match/);
  });

  it('has a stand-in that does refuse a bad signature', async () => {
    const res = await fetch(`${endpoint}/v1/keys`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/20260101/${REGION}/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': '20260101T000000Z',
      },
    });
    expect(res.status).toBe(403);
    expect((seen.at(-1) as Seen).signatureValid).toBe(false);
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
