/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureDashboardBuilt } from '../../web/serve.ts';
import { launchChromium, newWatchedPage, seriousA11yViolations, type Watched } from '../support/browser.ts';
import { newKey, startTestService, type TestService } from '../support/service.ts';

/**
 * The kill switch on the keys page, in Chromium: with filters applied, "Revoke all N" and
 * "Disable all N" from the dry run; the dialog shows its sample and asks for the count typed.
 */
const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
let svc: TestService;
let browser: Browser;
let watched: Watched | undefined;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureDashboardBuilt();
  [svc, browser] = await Promise.all([startTestService(), launchChromium()]);
}, 120_000);
afterEach(async () => {
  if (!watched) return;
  const { context, offsite, cspViolations } = watched;
  watched = undefined;
  try {
    expect(await cspViolations()).toEqual([]);
    expect(offsite).toEqual([]);
  } finally {
    await context.close();
  }
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

async function open(path: string, width = 1280): Promise<Page> {
  watched = await newWatchedPage(browser, { width });
  await watched.page.goto(`${svc.url}${path}#token=${svc.adminToken}`);
  return watched.page;
}

describe('Revoke all N', () => {
  it('revokes every key the filters match once the count is typed, and nothing else', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await svc.api('POST', '/v1/keys', newKey({ owner: 'mallory', name: `mallory ${i}` }));
      ids.push(res.body.key.keyId);
    }
    const other = await svc.api('POST', '/v1/keys', newKey({ owner: 'mallory-two', name: 'not hers' }));
    const page = await open('/?owner=mallory');
    const revokeAll = page.getByRole('button', { name: 'Revoke all 3' });
    await revokeAll.click();
    const dialog = page.getByRole('dialog', { name: 'Revoke 3 API keys' });
    await expect.poll(() => dialog.getByRole('row').count()).toBe(4);
    await expect.poll(() => dialog.textContent()).toContain('owner is exactly “mallory”');
    expect(await seriousA11yViolations(page, 'dialog')).toEqual([]);
    const confirm = dialog.getByRole('button', { name: 'Revoke all 3' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type 3 to confirm').fill('4');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type 3 to confirm').fill('3');
    await dialog.screenshot({ path: `${SHOTS}bulk-revoke-dialog.png`, animations: 'disabled' });
    await confirm.click();
    const done = page.getByRole('dialog', { name: 'Revoked 3 keys' });
    await expect.poll(() => done.isVisible()).toBe(true);
    for (const id of ids) expect((await svc.api('GET', `/v1/keys/${id}`)).body.status).toBe('revoked');
    expect((await svc.api('GET', `/v1/keys/${other.body.key.keyId}`)).body.status).toBe('active');
    await done.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Revoke all 0' }).isDisabled()).toBe(true);
  });

  it('offers nothing without a filter, and fits a phone', async () => {
    const page = await open('/');
    await expect.poll(() => page.getByRole('table', { name: 'API keys' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: /^Revoke all/ }).count()).toBe(0);
    for (let i = 0; i < 2; i++)
      await svc.api('POST', '/v1/keys', newKey({ owner: 'phone-owner', name: `p${i}` }));
    await watched?.context.close();
    watched = undefined;
    const phone = await open('/?owner=phone-owner', 390);
    await phone.getByRole('button', { name: 'Disable all 2' }).click();
    const dialog = phone.getByRole('dialog', { name: 'Disable 2 API keys' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await seriousA11yViolations(phone, 'dialog')).toEqual([]);
    await phone.screenshot({ path: `${SHOTS}bulk-disable-phone.png`, animations: 'disabled' });
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
  });
});

describe("a rotation's grace on the key page", () => {
  it("shows the old key's requests since the rotation on the new key's page", async () => {
    const made = await svc.api('POST', '/v1/keys', newKey({ owner: 'rotating', name: 'rotating' }));
    const rotated = await svc.api('POST', `/v1/keys/${made.body.key.keyId}/rotate`, {
      gracePeriodSeconds: 3600,
    });
    expect(rotated.status).toBe(201);
    const page = await open(`/keys/${rotated.body.key.keyId}`);
    const fact = page.getByText('Old key since the rotation');
    await expect.poll(() => fact.isVisible()).toBe(true);
    await expect
      .poll(() => page.locator('dd', { hasText: 'requests since' }).innerText())
      .toMatch(/^0 requests since .*; last used never$/);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
