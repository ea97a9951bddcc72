import { afterEach, describe, expect, it, vi } from 'vitest';
import { regionFromHost } from '../../packages/client/src/client.ts';
import { cli, spawnCli } from '../support/cli.ts';
import {
  CREDENTIAL_ENV,
  CREDENTIALS,
  type Received,
  resign,
  useCredentialEnv,
  useSignedApi,
} from '../support/signed-api.ts';

/**
 * `--endpoint`: every request is signed with SigV4 for execute-api. A stand-in API on 127.0.0.1
 * re-signs what it receives with SignatureV4 and the known credentials, and compares.
 */
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

const api = useSignedApi(answer);
const received = api.received;

/** The in-process CLI gets the credentials the way the chain reads them: process.env. */
useCredentialEnv();
afterEach(() => {
  received.length = 0;
});

describe('SigV4 with --endpoint', () => {
  it('signs every request (GET with a query, each page, PATCH with a body) so that API Gateway would accept it', async () => {
    const env = { AWS_REGION: 'us-west-2' };
    const list = await cli(
      ['--endpoint', api.endpoint, 'keys', 'list', '--owner', 'team a*', '--limit', '1', '--all', '--json'],
      { env },
    );
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).items).toHaveLength(2);
    const update = await cli(
      [
        'keys',
        'update',
        KEY.keyId,
        '--name',
        'renamed',
        '--if-match',
        '2',
        '--endpoint',
        api.endpoint,
        '--json',
      ],
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
      LATCHKEY_ENDPOINT: api.endpoint,
      LATCHKEY_ADMIN_TOKEN: 'must-not-be-sent-0123456789abcdef',
      AWS_DEFAULT_REGION: 'eu-central-1',
    });
    expect(result.stderr).toMatch(/will not be shown again/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ key: KEY, secret: 'lk_live_x' });
    const request = received[0] as Received;
    expect(request.body).toBe(JSON.stringify({ name: 'signed' }));
    const checked = await resign(request);
    expect(checked.region).toBe('eu-central-1');
    expect(checked.expected).toBe(checked.authorization);
    expect(JSON.stringify(request.headers)).not.toContain('must-not-be-sent');
  });

  it('takes the region from --region first, then the environment; none at all is a usage error', async () => {
    await cli(['whoami', '--endpoint', api.endpoint, '--region', 'ap-southeast-2'], {
      env: { AWS_REGION: 'us-east-1' },
    });
    expect((await resign(received[0] as Received)).region).toBe('ap-southeast-2');
    const whoami = await cli(['whoami', '--endpoint', api.endpoint], { env: { AWS_REGION: 'sa-east-1' } });
    expect(whoami.stdout).toMatch(
      /Mode\s+aws\nActor\s+arn:aws:iam::123456789012:user\/ops\nAuth\s+SigV4, region sa-east-1 \(from AWS_REGION\)/,
    );
    const none = await cli(['whoami', '--endpoint', api.endpoint], { env: {} });
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
    const missing = await cli(['roles', 'get', 'nope', '--endpoint', api.endpoint], {
      env: { AWS_REGION: 'us-east-1' },
    });
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe(
      'HTTP 403: Missing Authentication Token\n  no such resource: --endpoint must be the stage URL (e.g. https://<id>.execute-api.<region>.amazonaws.com/v1)\n',
    );
    const denied = await cli(['audit', '--endpoint', api.endpoint], { env: { AWS_REGION: 'us-east-1' } });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(
      /^HTTP 403: User: arn:aws:iam::123456789012:user\/ops is not authorized .*\n {2}your AWS identity needs/,
    );
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
      vi.stubEnv(name, undefined);
    const noProfile = await cli(['keys', 'list', '--endpoint', api.endpoint, '--profile', 'nobody'], {
      env: { AWS_REGION: 'us-east-1' },
    });
    expect(noProfile.code).toBe(2);
    expect(noProfile.stderr).toMatch(/^could not load AWS credentials/);
    expect(received).toHaveLength(2);
  });
});
