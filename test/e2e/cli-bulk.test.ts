import { describe, expect, it } from 'vitest';
import { cliAgainst } from '../support/cli.ts';
import { createKey, useTestService } from '../support/service.ts';

/** `latchkey keys bulk revoke|disable` and `keys get`'s grace usage, in-process against the local service. */
const svc = useTestService();
const latchkey = cliAgainst(svc);

async function keysOf(owner: string, count: number) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push((await createKey(svc, { owner, name: `${owner} ${i}` })).key.keyId);
  return ids;
}
const statuses = async (ids: string[]) =>
  Promise.all(ids.map(async (id) => (await svc.api('GET', `/v1/keys/${id}`)).body.status));

describe('latchkey keys bulk', () => {
  it('shows the dry run and asks on a terminal; without one and without --yes it is a usage error', async () => {
    const ids = await keysOf('cli-incident', 3);
    const bystander = await keysOf('cli-incident-2', 1);
    const refused = await latchkey.run(['keys', 'bulk', 'revoke', '--owner', 'cli-incident']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs confirmation: pass --yes/);
    expect(await statuses(ids)).toEqual(['active', 'active', 'active']);

    const declined = await latchkey.run(['keys', 'bulk', 'revoke', '--owner', 'cli-incident'], {
      stdinTTY: true,
      stdin: 'n\n',
    });
    expect(declined.code).toBe(2);
    expect(declined.stderr).toMatch(/cancelled; nothing changed/);
    expect(await statuses(ids)).toEqual(['active', 'active', 'active']);

    const asked = await latchkey.run(['keys', 'bulk', 'revoke', '--owner', 'cli-incident'], {
      stdinTTY: true,
      stdin: 'y\n',
    });
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stderr).toMatch(/3 keys match/);
    expect(asked.stderr).toContain('cli-incident 0');
    expect(asked.stderr).toMatch(/Revoke all 3 keys\? \[y\/N\]/);
    expect(asked.stdout).toMatch(/^Revoked 3 keys \(run bulk_/);
    expect(await statuses(ids)).toEqual(['revoked', 'revoked', 'revoked']);
    expect(await statuses(bystander)).toEqual(['active']);
  });

  it('disables with --yes, --json printing the run, filtered by creation and last use', async () => {
    const ids = await keysOf('cli-dormant', 2);
    const done = await latchkey.run([
      'keys',
      'bulk',
      'disable',
      '--owner',
      'cli-dormant',
      '--last-used-before',
      '2999-01-01',
      '--created-after',
      '2000-01-01',
      '--yes',
      '--json',
    ]);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({
      dryRun: false,
      action: 'disable',
      affected: 2,
      failed: [],
      done: true,
    });
    expect(await statuses(ids)).toEqual(['inactive', 'inactive']);
    const bad = await latchkey.run([
      'keys',
      'bulk',
      'disable',
      '--owner',
      'x',
      '--created-before',
      'soon',
      '--yes',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--created-before must be a date/);
  });
});

describe('latchkey keys get', () => {
  it("shows the old key's requests since the rotation while the grace runs", async () => {
    const [id] = await keysOf('cli-rotating', 1);
    const rotated = await svc.api('POST', `/v1/keys/${id}/rotate`, { gracePeriodSeconds: 3600 });
    expect(rotated.status).toBe(201);
    const shown = await latchkey.run(['keys', 'get', rotated.body.key.keyId]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      new RegExp(`Grace usage\\s+0 requests by ${id} since the rotation .*, last never`),
    );
    const json = await latchkey.run(['keys', 'get', id as string, '--json']);
    expect(JSON.parse(json.stdout).graceUsage).toEqual({
      since: expect.any(String),
      requests: 0,
      lastUsedAt: null,
    });
  });
});
