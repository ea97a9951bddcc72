import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { executeApiSignatureV4, httpRequestOf } from '../../cli/src/lib/sigv4.ts';
import { bin, cli, root } from '../support/cli.ts';

const credentials = {
  accessKeyId: 'AKIDDASHBOARDTEST',
  secretAccessKey: 'dashboard-secret-key',
  sessionToken: 'session',
};

/** A stand-in for the deployed management API that recomputes each request's SigV4 signature. */
function standIn() {
  const seen: { path: string; signatureMatches: boolean; authorization: string; leakedToken: boolean }[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const authorization = headers.authorization ?? '';
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const again = await executeApiSignatureV4('eu-west-1', credentials).sign(
      httpRequestOf({
        method: req.method ?? 'GET',
        url,
        headers: Object.fromEntries(
          signedHeaders.filter((h) => h !== 'host').map((h) => [h, headers[h] ?? '']),
        ),
        ...(body ? { body } : {}),
      }),
      {
        signingDate: new Date(
          `${(headers['x-amz-date'] ?? '').replace(/(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/, '$1-$2-$3T$4:$5:$6Z')}`,
        ),
      },
    );
    seen.push({
      path: url.pathname,
      signatureMatches: again.headers.authorization === authorization,
      authorization,
      leakedToken: JSON.stringify(headers).includes('lk_dash_'),
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ actor: 'arn:aws:sts::123456789012:assumed-role/Ops/alice', mode: 'aws' }));
  });
  return { server, seen };
}

describe('latchkey dashboard', () => {
  const { server, seen } = standIn();
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('locally, prints the local server’s dashboard link with the admin token in the fragment', async () => {
    const token = 'lk_admin_0123456789abcdef0123456789abcdef';
    const out = await cli(['dashboard'], {
      env: { LATCHKEY_URL: 'http://127.0.0.1:8787', LATCHKEY_ADMIN_TOKEN: token },
    });
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe(`Dashboard: http://127.0.0.1:8787/#token=${token}`);
    expect((await cli(['dashboard', '--port', '9'], { env: { LATCHKEY_ADMIN_TOKEN: token } })).code).toBe(2);
  });

  it('with --endpoint, serves the page on 127.0.0.1 and signs every proxied call as the operator', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/prod`;
    const child = spawn(
      process.execPath,
      [bin, 'dashboard', '--endpoint', endpoint, '--region', 'eu-west-1'],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_SESSION_TOKEN: credentials.sessionToken,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const link = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        output += c.toString();
        const url = /(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(output)?.[1];
        if (url) resolve(url);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = new URL(link);
      const token = url.hash.slice('#token='.length);
      const page = await fetch(`${url.origin}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect((await fetch(`${url.origin}/v1/whoami`)).status).toBe(401);
      const who = await fetch(`${url.origin}/v1/whoami`, { headers: { authorization: `Bearer ${token}` } });
      expect(who.status).toBe(200);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ path: '/prod/v1/whoami', signatureMatches: true, leakedToken: false });
      expect(seen[0]?.authorization).toContain(`Credential=${credentials.accessKeyId}/`);
      expect(seen[0]?.authorization).toMatch(/\/eu-west-1\/execute-api\/aws4_request/);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
