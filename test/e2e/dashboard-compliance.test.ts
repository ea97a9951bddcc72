/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, ui } from '../support/browser.ts';
import { useDashboard } from '../support/dashboard.ts';

/** The Compliance page in Chromium against `npm start`, by role and accessible name. */
const dash = useDashboard();

beforeAll(async () => {
  const soon = new Date(Date.now() + 5 * 86_400_000).toISOString();
  for (const body of [
    { name: 'billing, "eu"', owner: 'team-billing', expiresAt: soon },
    { name: 'search indexer', owner: 'team-search' },
  ]) {
    expect((await dash.api('POST', '/v1/keys', { scope: { workspaceId: 'ws-1' }, ...body })).status).toBe(
      201,
    );
  }
});

describe('the Compliance page', () => {
  it('is reached from the nav and shows each section as a table, with totals per owner', async () => {
    const page = await dash.open('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compliance' }).click();
    await ui.text(page.getByRole('heading', { level: 1 })).toBe('Compliance');
    expect(await page.getByRole('link', { name: 'Compliance' }).getAttribute('aria-current')).toBe('page');
    expect(await page.title()).toBe('Compliance · Latchkey');

    const expiring = page.getByRole('table', { name: 'Expiring within 14 days' });
    await ui.count(expiring.getByRole('row')).toBe(2);
    const row = expiring.getByRole('row', { name: /billing, "eu"/ });
    expect(await row.getByRole('cell').allInnerTexts()).toEqual([
      expect.stringMatching(/^key_/),
      'team-billing',
      'active',
      'Never',
      '5 days',
    ]);
    expect(await row.getByRole('link', { name: 'billing, "eu"' }).getAttribute('href')).toMatch(
      /^\/keys\/key_/,
    );
    await ui.count(page.getByRole('table', { name: 'Never used' }).getByRole('row')).toBe(3);
    await ui.count(page.getByRole('table', { name: 'No expiry' }).getByRole('row')).toBe(2);
    await ui.text(page.getByRole('heading', { name: /Past their rotation date \(0\)/ })).toContain('(0)');
    expect(await page.getByText('No key is past its rotation date.').count()).toBe(1);

    const owners = page.getByRole('table', { name: 'Totals per owner' });
    const headers = await owners.getByRole('columnheader').allTextContents();
    expect(headers).toEqual([
      'Owner',
      'Live keys',
      'Past rotation',
      'Never used',
      'Unused',
      'No expiry',
      'Expiring',
      'Retiring pepper',
    ]);
    const texts = await owners.getByRole('row').allInnerTexts();
    expect(texts.slice(1).map((t) => t.split('\t').join(' '))).toEqual([
      'team-billing 1 0 1 0 0 1 0',
      'team-search 1 0 1 0 1 0 0',
      'All owners 2 0 2 0 1 1 0',
    ]);
    const peppers = page.getByRole('table', { name: 'Keys per pepper version' });
    expect((await peppers.getByRole('row').nth(1).innerText()).split('\t')).toEqual(['1', '2', 'Current']);
    await expectAccessible(page);
  });

  it('"Download CSV" saves the same CSV as the API serves', async () => {
    const page = await dash.open('/compliance');
    const link = page.getByRole('link', { name: 'Download CSV' });
    await ui.count(page.getByRole('table', { name: 'Totals per owner' })).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^latchkey-compliance-\d{4}-\d\d-\d\d\.csv$/);
    const saved = readFileSync(await download.path(), 'utf8');
    const served = await dash.api('GET', '/v1/reports/compliance?format=csv');
    // Only the days can differ if a day boundary passed between the two reads.
    expect(saved.split('\r\n')[0]).toBe(served.text.split('\r\n')[0]);
    expect(saved.split('\r\n')).toHaveLength(served.text.split('\r\n').length);
    expect(saved).toContain('"billing, ""eu"""');
  });
});
