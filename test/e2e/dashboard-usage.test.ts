/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, ui } from '../support/browser.ts';
import { useDashboard } from '../support/dashboard.ts';

/**
 * The Usage page in Chromium against `npm start`, with traffic sent through /demo on past days
 * (the server's clock moved back) and a spike today, so the ranking, the chart, the "Unusual"
 * badge and the links are what a user sees.
 */
const DAY = 86_400_000;
const dash = useDashboard({ clock: true });

/** `count` requests to /demo with `secret`; POST needs a write permission the keys here lack. */
async function traffic(secret: string, count: number, method = 'GET') {
  for (let i = 0; i < count; i += 25) {
    await Promise.all(Array.from({ length: Math.min(25, count - i) }, () => dash.demo(secret, { method })));
  }
}

async function createKey(name: string, owner: string) {
  const res = await dash.api<{ key: { keyId: string }; secret: string }>('POST', '/v1/keys', {
    name,
    owner,
    roles: ['read'],
  });
  expect(res.status).toBe(201);
  return res.body;
}

describe('the Usage page', () => {
  let spike: string;
  let steady: string;
  let fresh: string;
  beforeAll(async () => {
    try {
      await dash.clock.set(-20 * DAY);
      const spiking = await createKey('Partner sync', 'team-partners');
      const regular = await createKey('Reporting job', 'team-data');
      spike = spiking.key.keyId;
      steady = regular.key.keyId;
      // The usual: a little a day. Recorded under the server's day at the time of each check.
      for (const back of [12, 11, 10, 9]) {
        await dash.clock.set(-back * DAY);
        await traffic(regular.secret, 20);
      }
      for (const back of [5, 4, 3, 2, 1]) {
        await dash.clock.set(-back * DAY);
        await traffic(spiking.secret, 5);
      }
      await dash.clock.set(0);
      // Today: 110 allowed and 40 refused (POST needs a permission the key lacks).
      await traffic(spiking.secret, 110);
      await traffic(spiking.secret, 40, 'POST');
      const young = await createKey('New mobile app', 'team-mobile');
      fresh = young.key.keyId;
      await traffic(young.secret, 3);
    } finally {
      await dash.clock.set(0);
    }
    // Counts land with the next usage flush (1 s here).
    const want = JSON.stringify({ allowed: 218, refused: 40, keys: 3 });
    let total = '';
    for (let i = 0; i < 75 && total !== want; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      total = JSON.stringify((await dash.api<{ total: unknown }>('GET', '/v1/usage')).body.total);
    }
    expect(total).toBe(want);
  }, 120_000);

  const usageTable = (page: Page) => page.getByRole('table', { name: 'Requests by key, most active first' });
  const names = (page: Page) => usageTable(page).getByRole('rowheader').allInnerTexts();

  it('lists keys by requests with the chart and the Unusual badge, and a name opens the key', async () => {
    const page = await dash.open('/usage', { width: 1280, height: 1100 });
    await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
    await ui.count(usageTable(page).getByRole('row')).toBe(4);
    expect(await names(page)).toEqual(['Partner sync', 'Reporting job', 'New mobile app']);
    expect(await page.getByRole('link', { name: 'Last 30 days' }).getAttribute('aria-current')).toBe('page');
    await ui.text(page.getByRole('region', { name: /to .* \(UTC\)/ })).toMatch(/Requests\s+258/i);

    const rows = usageTable(page).getByRole('row');
    const partner = rows.filter({ hasText: 'Partner sync' });
    await ui.text(partner).toMatch(/175\s+135\s+40/);
    await partner.getByText('Unusual', { exact: true }).waitFor();
    await ui.count(usageTable(page).getByText('Unusual', { exact: true })).toBe(1);
    await ui.text(partner).toContain('150 today');
    await ui.text(rows.filter({ hasText: 'New mobile app' })).toContain('no baseline yet');

    const chart = page.getByRole('img', {
      name: /most active keys: Partner sync \(175\), Reporting job \(80\)/,
    });
    await chart.waitFor();
    const drawn = await chart
      .locator('canvas')
      .evaluate((c: HTMLCanvasElement) => c.width > 0 && c.height > 0);
    expect(drawn).toBe(true);
    await expectAccessible(page);
    await dash.screenshot(page, 'usage.png', { fullPage: true });

    // The 7-day window: the query string carries it, and the older traffic drops out.
    await page.getByRole('link', { name: 'Last 7 days' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('days')).toBe('7');
    await expect.poll(() => names(page)).toEqual(['Partner sync', 'New mobile app']);

    await usageTable(page).getByRole('link', { name: 'Partner sync' }).click();
    await page.getByRole('heading', { name: 'Partner sync', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/keys/${spike}`);
    await page.getByRole('main').getByText('Unusual', { exact: true }).waitFor();
  });

  it('the keys table shows the Unusual badge on the flagged key only', async () => {
    const page = await dash.open();
    const keys = page.getByRole('table', { name: 'API keys' });
    await keys.getByRole('row').filter({ hasText: spike }).getByText('Unusual', { exact: true }).waitFor();
    for (const other of [steady, fresh]) {
      expect(await keys.getByRole('row').filter({ hasText: other }).getByText('Unusual').count()).toBe(0);
    }
  });
});
