import { describe, expect, it } from 'vitest';
import { cliAgainst } from '../support/cli.ts';
import { openLink, portalApi } from '../support/portal.ts';
import { useTestService } from '../support/service.ts';

const svc = useTestService();
const latchkey = cliAgainst(svc);

describe('latchkey portal link', () => {
  it('prints only the link on stdout; opening it gives the session the flags describe', async () => {
    const out = await latchkey.run([
      'portal',
      'link',
      '--subject',
      'u_42',
      '--organization',
      'acme',
      '--workspaces',
      'ws-1,ws-2',
      '--permission',
      'api.key.view',
      '--permission',
      'api.key.create',
      '--role',
      'read',
      '--type',
      'service',
      '--all-personal',
      '--expires-in',
      '30m',
      '--product-name',
      'Acme',
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/portal\/enter\?code=ps_\w{22}\.\w{43}\n$/);
    expect(out.stderr).toMatch(/One-time link for u_42: open it within 10 minutes/);
    const opened = await openLink(out.stdout.trim());
    expect(opened.status).toBe(303);
    const session = await portalApi(svc.url, opened.cookie, 'GET', '/session');
    expect(session.body).toMatchObject({
      subject: 'u_42',
      scope: { organizationId: 'acme', workspaceIds: ['ws-1', 'ws-2'] },
      permissions: ['api.key.view', 'api.key.create'],
      roles: ['read'],
      types: ['service'],
      personalKeys: 'all',
      branding: { productName: 'Acme' },
    });
    const minutes = (Date.parse(session.body.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(28);
    expect(minutes).toBeLessThanOrEqual(30);
  });

  it('--json prints the API answer', async () => {
    const out = await latchkey.run(['portal', 'link', '--subject', 'bob', '--workspace', 'ws-1', '--json']);
    expect(out.code).toBe(0);
    expect(Object.keys(JSON.parse(out.stdout)).sort()).toEqual(['expiresAt', 'sessionId', 'url']);
  });

  it('a link needs a scope, and a sane lifetime (usage errors, exit 2)', async () => {
    expect((await latchkey.run(['portal', 'link', '--subject', 'bob'])).code).toBe(2);
    const long = await latchkey.run([
      'portal',
      'link',
      '--subject',
      'bob',
      '-w',
      'ws',
      '--expires-in',
      '13h',
    ]);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/1m to 12h/);
    const bad = await latchkey.run(['portal', 'link', '--subject', 'bob', '-w', 'ws', '--type', 'canary']);
    expect(bad.code).toBe(2);
  });

  it('an unknown role is the API refusal (exit 1), naming it', async () => {
    const out = await latchkey.run(['portal', 'link', '--subject', 'bob', '-w', 'ws', '--role', 'nope']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/role "nope" does not exist/);
  });
});
