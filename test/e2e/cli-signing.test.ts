import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { regionFromHost } from '../../cli/src/lib/sigv4.ts';
import { cli, spawnCli } from '../support/cli.ts';

/**
 * `--endpoint`: every request is signed with SigV4 for execute-api. A stand-in API on 127.0.0.1
 * re-signs what it receives with SignatureV4 and the known credentials, and compares.
 */
const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN',
};
const CREDENTIAL_ENV = {
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
  // Nothing may reach for instance metadata or a real profile.
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let endpoint: string;
let received: Received[] = [];

const KEY = { keyId: 'key_0123456789abcdefghijkl', name: 'signed', status: 'active', version: 2 };

function answer(request: Received): [number, unknown] {
  const url = new URL(request.url, 'http://x');
  if (request.method === 'GET' && url.pathname === '/prod/v1/keys') {
    return url.searchParams.get('cursor')
      ? [200, { items: [{ ...KEY, keyId: 'key_second0000000000000000' }], nextCursor: null }]
      : [200, { items: [KEY], nextCursor: 'c2VlbiB0aGlz+/=' }];
  }
  if (request.method === 'PATCH') return [200, { ...KEY, ...JSON.parse(request.body) }];
  if (request.method === 'POST' && url.pathname === '/prod/v1/keys')
    return [201, { key: KEY, secret: 'lk_live_x' }];
  if (url.pathname === '/prod/v1/whoami')
    return [200, { actor: 'arn:aws:iam::123456789012:user/ops', mode: 'aws' }];
  if (url.pathname.startsWith('/prod/v1/audit')) {
    return [
      403,
      {
        Message: 'User: arn:aws:iam::123456789012:user/ops is not authorized to perform: execute-api:Invoke',
      },
    ];
  }
  return [403, { message: 'Missing Authentication Token' }];
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(request);
      const [status, payload] = answer(request);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const saved = { ...process.env };
afterEach(() => {
  received = [];
  process.env = { ...saved };
});

/** The in-process CLI gets the credentials the way the chain reads them: process.env. */
function withCredentials(extra: Record<string, string> = {}) {
  Object.assign(process.env, CREDENTIAL_ENV, extra);
}

/** What API Gateway does: recompute the signature from the request as received. */
async function resign(request: Received, credentials = CREDENTIALS) {
  const authorization = String(request.headers.authorization);
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) throw new Error(`not a SigV4 Authorization header: ${authorization}`);
  const [, accessKeyId = '', , region = '', service = '', signedHeaders = ''] = match;
  const url = new URL(request.url, `http://${request.headers.host}`);
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...([] as string[]).concat(seen), value];
  }
  // The payload hash is recomputed from the body, not taken from x-amz-content-sha256.
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) {
    if (name !== 'x-amz-content-sha256') headers[name] = String(request.headers[name]);
  }
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    service: service as string,
    region: region as string,
    credentials,
    sha256: Sha256,
  });
  const expected = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers,
      body: request.body || undefined,
    }),
    { signingDate },
  );
  return {
    accessKeyId,
    region,
    service,
    signedHeaders,
    authorization,
    expected: expected.headers.authorization,
  };
}

describe('SigV4 with --endpoint', () => {
  it('signs every request (GET with a query, each page, PATCH with a body) so that API Gateway would accept it', async () => {
    withCredentials();
    const env = { AWS_REGION: 'us-west-2' };
    const list = await cli(
      ['--endpoint', endpoint, 'keys', 'list', '--owner', 'team a*', '--limit', '1', '--all', '--json'],
      { env },
    );
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).items).toHaveLength(2);
    const update = await cli(
      ['keys', 'update', KEY.keyId, '--name', 'renamed', '--if-match', '2', '--endpoint', endpoint, '--json'],
      { env },
    );
    expect(update.code).toBe(0);
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /prod/v1/keys?owner=team%20a%2A&limit=1',
      'GET /prod/v1/keys?owner=team%20a%2A&limit=1&cursor=c2VlbiB0aGlz%2B%2F%3D',
      `PATCH /prod/v1/keys/${KEY.keyId}`,
    ]);
    for (const request of received) {
      const checked = await resign(request);
      expect(checked).toMatchObject({
        accessKeyId: CREDENTIALS.accessKeyId,
        region: 'us-west-2',
        service: 'execute-api',
      });
      expect(checked.expected).toBe(checked.authorization);
      expect(checked.signedHeaders.split(';')).toEqual(expect.arrayContaining(['host', 'x-amz-date']));
      expect(request.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    }
    const patch = received[2] as Received;
    expect(JSON.parse(patch.body)).toEqual({ name: 'renamed' });
    expect(patch.headers['if-match']).toBe('"2"');
    expect((await resign(patch)).signedHeaders.split(';')).toEqual(
      expect.arrayContaining(['content-type', 'if-match']),
    );

    // Tampered credentials (or a tampered request) do not produce the same signature.
    const tampered = await resign(patch, {
      ...CREDENTIALS,
      secretAccessKey: `${CREDENTIALS.secretAccessKey}x`,
    });
    expect(tampered.expected).not.toBe(tampered.authorization);
    const otherBody = await resign({ ...patch, body: JSON.stringify({ name: 'other' }) });
    expect(otherBody.expected).not.toBe(otherBody.authorization);
  });

  it('signs from a separate process with credentials from its environment, and sends no admin token', async () => {
    const result = await spawnCli(['keys', 'create', '--name', 'signed', '--json'], {
      ...CREDENTIAL_ENV,
      LATCHKEY_ENDPOINT: endpoint,
      LATCHKEY_ADMIN_TOKEN: 'must-not-be-sent-0123456789abcdef',
      AWS_DEFAULT_REGION: 'eu-central-1',
    });
    expect(result.stderr).toMatch(/will not be shown again/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ key: KEY, secret: 'lk_live_x' });
    const [request] = received as [Received];
    expect(request.body).toBe(JSON.stringify({ name: 'signed' }));
    const checked = await resign(request);
    expect(checked.region).toBe('eu-central-1');
    expect(checked.expected).toBe(checked.authorization);
    expect(JSON.stringify(request.headers)).not.toContain('must-not-be-sent');
  });

  it('takes the region from --region first, then the environment; none at all is a usage error', async () => {
    withCredentials();
    await cli(['whoami', '--endpoint', endpoint, '--region', 'ap-southeast-2'], {
      env: { AWS_REGION: 'us-east-1' },
    });
    expect((await resign(received[0] as Received)).region).toBe('ap-southeast-2');
    const whoami = await cli(['whoami', '--endpoint', endpoint], { env: { AWS_REGION: 'sa-east-1' } });
    expect(whoami.stdout).toMatch(
      /Mode\s+aws\nActor\s+arn:aws:iam::123456789012:user\/ops\nAuth\s+SigV4, region sa-east-1 \(from AWS_REGION\)/,
    );
    const none = await cli(['whoami', '--endpoint', endpoint], { env: {} });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^no AWS region for http:\/\/127\.0\.0\.1:\d+\/prod\n\s+pass --region/);
  });

  it('reads the region from an execute-api host name', () => {
    expect(regionFromHost('abc123defg.execute-api.eu-west-1.amazonaws.com')).toBe('eu-west-1');
    expect(regionFromHost('abc123defg.execute-api.us-gov-west-1.amazonaws.com:443')).toBe('us-gov-west-1');
    expect(regionFromHost('abc123defg.execute-api.cn-north-1.amazonaws.com.cn')).toBe('cn-north-1');
    expect(regionFromHost('abc123defg-vpce-0123abcd.execute-api.ap-south-1.vpce.amazonaws.com')).toBe(
      'ap-south-1',
    );
    expect(regionFromHost('api.example.com')).toBeUndefined();
    expect(regionFromHost('execute-api.eu-west-1.amazonaws.com.evil.example')).toBeUndefined();
    expect(regionFromHost('127.0.0.1:8787')).toBeUndefined();
  });

  it('maps API Gateway refusals and unloadable credentials to exit codes', async () => {
    withCredentials();
    const missing = await cli(['roles', 'get', 'nope', '--endpoint', endpoint], {
      env: { AWS_REGION: 'us-east-1' },
    });
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe(
      'HTTP 403: Missing Authentication Token\n  no such resource: --endpoint must be the stage URL (e.g. https://<id>.execute-api.<region>.amazonaws.com/prod)\n',
    );
    const denied = await cli(['audit', '--endpoint', endpoint], { env: { AWS_REGION: 'us-east-1' } });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(
      /^HTTP 403: User: arn:aws:iam::123456789012:user\/ops is not authorized .*\n {2}your AWS identity needs/,
    );
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
      delete process.env[name];
    const noProfile = await cli(['keys', 'list', '--endpoint', endpoint, '--profile', 'nobody'], {
      env: { AWS_REGION: 'us-east-1' },
    });
    expect(noProfile.code).toBe(2);
    expect(noProfile.stderr).toMatch(/^could not load AWS credentials/);
    expect(received).toHaveLength(2);
  });
});
