/// <reference lib="dom" />
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

/** Usage plans in the dashboard, in Chromium against `npm start` with LATCHKEY_PLANS. */
const ADMIN_TOKEN = 'lk_admin_dashboard_plans_0123456789abcdefghij';
const PLANS = {
  free: { rateLimit: 5, burstLimit: 5, quota: { limit: 1000, period: 'DAY' } },
  pro: { rateLimit: 100, burstLimit: 200 },
};

let server: ServerProcess;
let base: string;
let browser: Browser;
let watched: Watched | undefined;

async function api<T>(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function open(path = '/'): Promise<Page> {
  watched = await newWatchedPage(browser, {});
  await watched.page.goto(`${base}${path}#token=${ADMIN_TOKEN}`);
  return watched.page;
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  const port = await freePort();
  server = startServerProcess({
    PORT: String(port),
    LATCHKEY_MEMORY: '1',
    LATCHKEY_ADMIN_TOKEN: ADMIN_TOKEN,
    LATCHKEY_PLANS: JSON.stringify(PLANS),
  });
  [{ url: base }, browser] = await Promise.all([server.ready, launchChromium()]);
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

describe('plans in the dashboard', () => {
  it('picks a plan on create and edit, and shows the quota used on the key page', async () => {
    const page = await open('/?owner=plans');
    await page.getByRole('button', { name: 'Create API Key' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('Key Name').fill('Partner on free');
    await form.getByLabel('Owner').fill('plans');
    await form.getByLabel('Plan').selectOption('free');
    expect(await seriousA11yViolations(page, 'dialog')).toEqual([]);
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    const secret = await form.getByRole('textbox', { name: 'Secret key' }).inputValue();
    const keyId = `key_${/^lk_live_([A-Za-z0-9]{22})_/.exec(secret)?.[1]}`;
    expect((await api<{ plan?: string }>('GET', `/v1/keys/${keyId}`)).body.plan).toBe('free');
    await form.getByRole('button', { name: 'I have copied it' }).click();

    for (let i = 0; i < 3; i++)
      expect((await fetch(`${base}/demo/x`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(
        200,
      );
    await page.goto(`${base}/keys/${keyId}`);
    const used = page.getByRole('definition').filter({ hasText: 'of 1000 this day' });
    await ui.text(used).toContain('3 of 1000 this day (997 left');

    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog');
    await ui.value(edit.getByLabel('Plan')).toBe('free');
    await edit.getByLabel('Plan').selectOption('pro');
    await edit.getByRole('button', { name: 'Save Changes' }).click();
    await edit.waitFor({ state: 'hidden' });
    expect((await api<{ plan?: string }>('GET', `/v1/keys/${keyId}`)).body.plan).toBe('pro');
    await ui.text(page.getByRole('definition').filter({ hasText: 'No quota' })).toContain('rate limits only');
  });
});
