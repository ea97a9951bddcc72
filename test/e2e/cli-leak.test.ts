import { describe, expect, it } from 'vitest';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { cli, cliAgainst } from '../support/cli.ts';
import { createKey, useTestService } from '../support/service.ts';

/** `latchkey leak report` against the local server on DynamoDB Local: as a process and in-process. */
const svc = useTestService({ env: { LATCHKEY_LEAK_ACTION: undefined } });
const latchkey = cliAgainst(svc);

const keyOf = (owner: string) => createKey(svc, { owner, name: `${owner} key` });

describe('latchkey leak report', () => {
  it('revokes the key of a leaked secret, as a process, and records the URL with the caller as actor', async () => {
    const { key, secret } = await keyOf('cli-leak');
    const result = await latchkey.spawn(['leak', 'report', secret, '--url', 'https://paste.example/abc']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Leak\s+true positive$/m);
    expect(result.stdout).toMatch(/^Action\s+revoke \(revoked now\)$/m);
    expect(result.stdout).toMatch(new RegExp(`^Key ID\\s+${key.keyId}$`, 'm'));
    expect(result.stdout).toMatch(/^Status\s+revoked$/m);
    expect(result.stdout).not.toContain(secret);

    expect((await svc.api('GET', `/v1/keys/${key.keyId}`)).body.status).toBe('revoked');
    const [revoked] = (await svc.api('GET', `/v1/audit?keyId=${key.keyId}`)).body.items;
    expect(revoked).toMatchObject({
      action: 'key.revoked',
      actor: 'local-admin',
      context: { url: 'https://paste.example/abc', source: 'operator' },
    });

    const again = await latchkey.run(['leak', 'report', secret]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Action\s+revoke \(already revoked, nothing changed\)$/m);
  });

  it('--json prints exactly the API body; the secret from stdin, disabled when asked', async () => {
    const { key, secret } = await keyOf('cli-leak-json');
    const result = await latchkey.run(['leak', 'report', '--action', 'disable', '--json'], {
      stdin: `${secret}\n`,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const body = JSON.parse(result.stdout);
    const stored = (await svc.api('GET', `/v1/keys/${key.keyId}`)).body;
    expect(body).toEqual({ label: 'true_positive', action: 'disable', changed: true, key: stored });
    expect(stored.status).toBe('inactive');
    expect(result.stdout).not.toContain(secret);
  });

  it('exits 1 for a false positive and changes nothing; --json still prints the body', async () => {
    const { key } = await keyOf('cli-not-leaked');
    const wrong = newSecret(key.keyId, 'production');
    const result = await latchkey.run(['leak', 'report', wrong]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Leak\s+false positive$/m);
    expect(result.stdout).toMatch(/^Code\s+INVALID_SECRET$/m);
    expect(result.stderr).toMatch(
      /^not a live Latchkey key's secret \(INVALID_SECRET\); nothing was changed$/m,
    );
    const json = await latchkey.run(['leak', 'report', newSecret(newKeyId(), 'development'), '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ label: 'false_positive', code: 'NOT_FOUND' });
    expect((await svc.api('GET', `/v1/keys/${key.keyId}`)).body).toMatchObject({
      status: 'active',
      version: 1,
    });
  });

  it('is a usage error (exit 2) without a secret on a terminal, or with an unknown action', async () => {
    const noSecret = await latchkey.run(['leak', 'report'], { stdinTTY: true });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/give the secret as an argument or on stdin/);
    const badAction = await latchkey.run(['leak', 'report', 'lk_live_x', '--action', 'delete']);
    expect(badAction.code).toBe(2);
    expect(badAction.stderr).toMatch(/Allowed choices are revoke, disable/);
  });

  it('is in the help and in the shell completion', async () => {
    const help = await cli(['leak', 'report', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/\$ latchkey leak report lk_live_…/);
    const bash = (await cli(['completion', 'bash'])).stdout;
    expect(bash).toContain(`'leak') echo 'report' ;;`);
    expect(bash).toContain(`'leak report|--action') echo 'revoke disable' ;;`);
    const zsh = (await cli(['completion', 'zsh'])).stdout;
    expect(zsh).toContain("'leak:respond to leaked secrets'");
  });
});
