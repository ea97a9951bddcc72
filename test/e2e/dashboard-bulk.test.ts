/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectAccessible, ui } from '../support/browser.ts';
import { useDashboard } from '../support/dashboard.ts';
import { createKey } from '../support/service.ts';

/**
 * The kill switch on the keys page, in Chromium: with filters applied, "Revoke all N" and
 * "Disable all N" from the dry run; the dialog shows its sample and asks for the count typed.
 */
const dash = useDashboard();

describe('Revoke all N', () => {
  it('revokes every key the filters match once the count is typed, and nothing else', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await createKey(dash, { owner: 'mallory', name: `mallory ${i}` })).key.keyId);
    const other = await createKey(dash, { owner: 'mallory-two', name: 'not hers' });
    const page = await dash.open('/?owner=mallory');
    await page.getByRole('button', { name: 'Revoke all 3' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke 3 API keys' });
    await ui.count(dialog.getByRole('row')).toBe(4);
    await ui.text(dialog).toContain('owner is exactly “mallory”');
    await expectAccessible(page, 'dialog');
    const confirm = dialog.getByRole('button', { name: 'Revoke all 3' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type 3 to confirm').fill('4');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type 3 to confirm').fill('3');
    await dash.screenshot(dialog, 'bulk-revoke-dialog.png');
    await confirm.click();
    const done = page.getByRole('dialog', { name: 'Revoked 3 keys' });
    await ui.count(done).toBe(1);
    for (const id of ids) expect((await dash.api('GET', `/v1/keys/${id}`)).body.status).toBe('revoked');
    expect((await dash.api('GET', `/v1/keys/${other.key.keyId}`)).body.status).toBe('active');
    await done.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Revoke all 0' }).isDisabled()).toBe(true);
  });

  it('offers nothing without a filter, and fits a phone', async () => {
    const page = await dash.open('/');
    await ui.count(page.getByRole('table', { name: 'API keys' })).toBe(1);
    expect(await page.getByRole('button', { name: /^Revoke all/ }).count()).toBe(0);
    for (let i = 0; i < 2; i++) await createKey(dash, { owner: 'phone-owner', name: `p${i}` });
    const phone = await dash.open('/?owner=phone-owner', { width: 390 });
    await phone.getByRole('button', { name: 'Disable all 2' }).click();
    const dialog = phone.getByRole('dialog', { name: 'Disable 2 API keys' });
    await ui.count(dialog).toBe(1);
    await expectAccessible(phone, 'dialog');
    await dash.screenshot(phone, 'bulk-disable-phone.png');
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
  });
});

describe("a rotation's grace on the key page", () => {
  it("shows the old key's requests since the rotation on the new key's page", async () => {
    const made = await createKey(dash, { owner: 'rotating', name: 'rotating' });
    const rotated = await dash.api('POST', `/v1/keys/${made.key.keyId}/rotate`, {
      gracePeriodSeconds: 3600,
    });
    expect(rotated.status).toBe(201);
    const page = await dash.open(`/keys/${rotated.body.key.keyId}`);
    await ui.count(page.getByText('Old key since the rotation')).toBe(1);
    await ui
      .text(page.locator('dd', { hasText: 'requests since' }))
      .toMatch(/^0 requests since .*; last used never$/);
    await expectAccessible(page);
  });
});
