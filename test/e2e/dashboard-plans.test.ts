/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectAccessible, ui } from '../support/browser.ts';
import { useDashboard } from '../support/dashboard.ts';

/** Usage plans in the dashboard, in Chromium against `npm start` with LATCHKEY_PLANS. */
const PLANS = {
  free: { rateLimit: 5, burstLimit: 5, quota: { limit: 1000, period: 'DAY' } },
  pro: { rateLimit: 100, burstLimit: 200 },
};
const dash = useDashboard({ env: { LATCHKEY_PLANS: JSON.stringify(PLANS) } });

describe('plans in the dashboard', () => {
  it('picks a plan on create and edit, and shows the quota used on the key page', async () => {
    const page = await dash.open('/?owner=plans');
    await page.getByRole('button', { name: 'Create API Key' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('Key Name').fill('Partner on free');
    await form.getByLabel('Owner').fill('plans');
    await form.getByLabel('Plan').selectOption('free');
    await expectAccessible(page, 'dialog');
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    const secret = await form.getByRole('textbox', { name: 'Secret key' }).inputValue();
    const keyId = `key_${/^lk_live_([A-Za-z0-9]{22})_/.exec(secret)?.[1]}`;
    expect((await dash.api<{ plan?: string }>('GET', `/v1/keys/${keyId}`)).body.plan).toBe('free');
    await form.getByRole('button', { name: 'I have copied it' }).click();

    for (let i = 0; i < 3; i++) expect((await dash.demo(secret, { path: '/demo/x' })).status).toBe(200);
    await page.goto(`${dash.url}/keys/${keyId}`);
    const used = page.getByRole('definition').filter({ hasText: 'of 1000 this day' });
    await ui.text(used).toContain('3 of 1000 this day (997 left');

    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog');
    await ui.value(edit.getByLabel('Plan')).toBe('free');
    await edit.getByLabel('Plan').selectOption('pro');
    await edit.getByRole('button', { name: 'Save Changes' }).click();
    await edit.waitFor({ state: 'hidden' });
    expect((await dash.api<{ plan?: string }>('GET', `/v1/keys/${keyId}`)).body.plan).toBe('pro');
    await ui.text(page.getByRole('definition').filter({ hasText: 'No quota' })).toContain('rate limits only');
  });
});
