import { beforeAll, describe, expect, it } from 'vitest';
import { cli, cliAgainst } from '../support/cli.ts';
import { useTestService } from '../support/service.ts';

/** `latchkey report` against the real local server (`npm start` with a compliance policy). */
const svc = useTestService({
  process: true,
  env: { LATCHKEY_POLICY: JSON.stringify({ maxLifetimeDays: 365, personalKeysMayNotHold: ['admin'] }) },
});
const latchkey = cliAgainst(svc);
const ids: string[] = [];

beforeAll(async () => {
  for (const [name, owner, expires] of [
    ['deploy, "blue"', 'team-a', '10d'],
    ['nightly', 'team-b', '200d'],
  ] as const) {
    const r = await latchkey.run(['keys', 'create', '-n', name, '-o', owner, '--expires', expires, '--json']);
    expect(r.code, r.stderr).toBe(0);
    ids.push(JSON.parse(r.stdout).key.keyId);
  }
});

describe('latchkey report', () => {
  it('prints a table per section, the pepper versions and the totals per owner', async () => {
    const result = await latchkey.run(['report']);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^Compliance report, \S+: 2 live keys/);
    expect(out).toMatch(/\nNever used: 2\nKEY ID +NAME +OWNER +STATUS +LAST USED +AGE\n/);
    expect(out).toMatch(
      /\nExpiring within 14 days: 1\n[^\n]+DAYS LEFT\n\S+ +deploy, "blue" +team-a +active +never +10\n/,
    );
    expect(out).toContain('\nPast their rotation date: 0\n');
    expect(out).toMatch(/\nKeys per pepper version\nVERSION +KEYS +STATE\n1 +2 +current\n/);
    expect(out).toMatch(
      /\nteam-a +1 +0 +1 +0 +0 +1 +0\nteam-b +1 +0 +1 +0 +0 +0 +0\n\(all\) +2 +0 +2 +0 +0 +1 +0\n/,
    );
  });

  it('--json prints the API body; --csv (as a process) prints the CSV exactly', async () => {
    const json = await latchkey.run(['report', '--json', '--unused-days', '30']);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body).toMatchObject({ unusedDays: 30, totals: { liveKeys: 2, neverUsed: 2, expiringSoon: 1 } });
    const csv = await latchkey.spawn(['report', '--csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.split('\r\n');
    expect(rows[0]).toBe(
      '"section","keyId","name","owner","type","status","environment","createdAt","lastUsedAt","expiresAt","rotationDueAt","pepperVersion","days"',
    );
    expect(csv.stdout).toContain(
      `"expiringSoon","${ids[0]}","deploy, ""blue""","team-a","service","active","production",`,
    );
    expect(rows.filter((r) => r.startsWith('"neverUsed",'))).toHaveLength(2);
    expect(csv.stderr).toBe('');
  });

  it('a key that breaks the policy: exit 1 with the rule under the error', async () => {
    const refused = await latchkey.run(['keys', 'create', '-n', 'too long', '--expires', '400d']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^the key breaks the compliance policy: maxLifetimeDays/);
    expect(refused.stderr).toMatch(/\n {2}- expiresAt: must be at most 365 days from now/);
  });

  it('is in the completion scripts', async () => {
    expect((await cli(['completion', 'bash'])).stdout).toMatch(/\breport\b/);
    expect((await cli(['completion', 'zsh'])).stdout).toContain('--unused-days');
  });
});
