/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.ts';
import { ensureDashboardBuilt } from '../../web/serve.ts';
import {
  launchChromium,
  newWatchedPage,
  seriousA11yViolations,
  ui,
  type Watched,
} from '../support/browser.ts';
import { type ServerProcess, startServerProcess } from '../support/process.ts';

/** The Compliance page in Chromium against `npm start`, by role and accessible name. */
const ADMIN_TOKEN = 'lk_admin_compliance_e2e_0123456789abcdefghij';
let server: ServerProcess;
let base: string;
let browser: Browser;
let watched: Watched | undefined;

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

async function open(path: string): Promise<Page> {
  watched = await newWatchedPage(browser);
  await watched.page.goto(`${base}${path}#token=${ADMIN_TOKEN}`);
  return watched.page;
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = startServerProcess({
    PORT: String(await freePort()),
    LATCHKEY_MEMORY: '1',
    LATCHKEY_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  [{ url: base }, browser] = await Promise.all([server.ready, launchChromium()]);
  const soon = new Date(Date.now() + 5 * 86_400_000).toISOString();
  for (const body of [
    { name: 'billing, "eu"', owner: 'team-billing', expiresAt: soon },
    { name: 'search indexer', owner: 'team-search' },
  ]) {
    expect((await api('POST', '/v1/keys', { scope: { workspaceId: 'ws-1' }, ...body })).status).toBe(201);
  }
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
  server?.child.kill('SIGTERM');
  await server?.exited;
});

describe('the Compliance page', () => {
  it('is reached from the nav and shows each section as a table, with totals per owner', async () => {
    const page = await open('/');
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
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('"Download CSV" saves the same CSV as the API serves', async () => {
    const page = await open('/compliance');
    const link = page.getByRole('link', { name: 'Download CSV' });
    await ui.count(page.getByRole('table', { name: 'Totals per owner' })).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^latchkey-compliance-\d{4}-\d\d-\d\d\.csv$/);
    const saved = readFileSync(await download.path(), 'utf8');
    const served = await api('GET', '/v1/reports/compliance?format=csv');
    // Only the days can differ if a day boundary passed between the two reads.
    expect(saved.split('\r\n')[0]).toBe(served.text.split('\r\n')[0]);
    expect(saved.split('\r\n')).toHaveLength(served.text.split('\r\n').length);
    expect(saved).toContain('"billing, ""eu"""');
  });
});
