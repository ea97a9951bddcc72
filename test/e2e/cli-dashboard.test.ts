import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bin, cli } from '../support/cli.ts';
import { root } from '../support/process.ts';
import { CREDENTIAL_ENV, CREDENTIALS, useSignedApi } from '../support/signed-api.ts';

/**
 * `latchkey dashboard`: locally, the link to the local server's page; with --endpoint, a proxy in
 * front of a stand-in deployment that checks every signature as API Gateway would.
 */
describe('latchkey dashboard', () => {
  const api = useSignedApi(() => [
    200,
    { actor: 'arn:aws:sts::123456789012:assumed-role/Ops/alice', mode: 'aws' },
  ]);

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
    const child = spawn(
      process.execPath,
      [bin, 'dashboard', '--endpoint', api.endpoint, '--region', 'eu-west-1'],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...CREDENTIAL_ENV },
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
      expect(api.received).toHaveLength(1);
      const [seen] = api.received;
      expect(seen).toMatchObject({ url: '/prod/v1/whoami', signatureValid: true });
      expect(JSON.stringify(seen?.headers)).not.toContain('lk_dash_');
      expect(seen?.headers.authorization).toContain(`Credential=${CREDENTIALS.accessKeyId}/`);
      expect(seen?.headers.authorization).toMatch(/\/eu-west-1\/execute-api\/aws4_request/);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
