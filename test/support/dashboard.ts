/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { ensureDashboardBuilt } from '../../web/serve.ts';
import type { ServiceClient } from './api.ts';
import { launchChromium, newWatchedPage, type Watched } from './browser.ts';
import { serverClock } from './server-clock.ts';
import { type ServiceProcess, startedLater, startTestService } from './service.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

export interface DashboardOptions {
  /** The server's settings, on top of a usage flush every second. */
  env?: Record<string, string>;
  /** Lets the tests move the server's clock (`clock.set`). */
  clock?: boolean;
}

/**
 * `npm start` as a user runs it (in memory, an admin token of its own) and Chromium in front of it,
 * with the service's clients (`api`, `demo`).
 */
export interface Dashboard extends ServiceClient {
  readonly service: ServiceProcess;
  readonly browser: Browser;
  /** The server's clock, with `clock: true`. */
  readonly clock: ReturnType<typeof serverClock>;
  /**
   * A fresh watched page, `viewport` wide (1280 × 800 unless given), opened at `path` the way the
   * printed link does (the token in the fragment). The page open before it is checked and closed.
   */
  open(path?: string, viewport?: { width?: number; height?: number }): Promise<Page>;
  /** Opens `url` as it is, without the admin token (a portal link, say), in a fresh watched page. */
  visit(url: string, viewport?: { width?: number; height?: number }): Promise<Page>;
  /** Saves a screenshot of `target` as docs/screenshots/`name`, as the README shows it. */
  screenshot(target: Page | Locator, name: string, options?: { fullPage?: boolean }): Promise<void>;
}

/**
 * The dashboard of a test file: started before its tests, stopped after them. After each test the
 * page it opened must have reported no CSP violation, asked for nothing off the machine, and kept
 * no secret in its storage.
 */
export function useDashboard(options: DashboardOptions = {}): Dashboard {
  const dashboard = startedLater<Dashboard>('the dashboard');
  let watched: Watched | undefined;
  let stop: (() => Promise<void>) | undefined;

  const checkPage = async () => {
    if (!watched) return;
    const { page, context, offsite, cspViolations } = watched;
    watched = undefined;
    try {
      expect(await cspViolations()).toEqual([]);
      expect(offsite).toEqual([]);
      // The admin token stays in sessionStorage; no secret is ever stored.
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
      expect(stored).not.toMatch(/lk_(live|test)_/);
    } finally {
      await context.close();
    }
  };

  beforeAll(async () => {
    const clock = options.clock ? serverClock() : undefined;
    await ensureDashboardBuilt();
    const [service, browser] = await Promise.all([
      startTestService({
        process: true,
        env: { LATCHKEY_USAGE_FLUSH_SECONDS: '1', ...clock?.env, ...options.env },
      }),
      launchChromium(),
    ]);
    stop = async () => {
      await browser.close();
      await service.stop();
      clock?.dispose();
    };
    dashboard.set({
      ...service,
      service,
      browser,
      get clock() {
        if (!clock) throw new Error('the server clock needs useDashboard({ clock: true })');
        return clock;
      },
      async open(path = '/', viewport = {}) {
        await checkPage();
        watched = await newWatchedPage(browser, viewport);
        await watched.page.goto(`${service.url}${path}#token=${service.adminToken}`);
        return watched.page;
      },
      async visit(url, viewport = {}) {
        await checkPage();
        watched = await newWatchedPage(browser, viewport);
        await watched.page.goto(url);
        return watched.page;
      },
      async screenshot(target, name, shot = {}) {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await target.screenshot({ path: `${SCREENSHOTS}${name}`, animations: 'disabled', ...shot });
      },
    });
  }, 120_000);
  afterEach(checkPage);
  afterAll(() => stop?.());
  return dashboard.value;
}

interface Created {
  key: { keyId: string; name: string; rotatedTo?: string; expiresAt: string | null };
  secret: string;
}

/** What `seedKeyTable` made, by what a test looks for. */
export interface SeededKeys {
  readonly unnamed: string;
  readonly canary: string;
  /** The key a rotation replaced, still in its grace period, and its successor. */
  readonly replaced: string;
  readonly successor: string;
  readonly longest: string;
  readonly all: readonly string[];
}

const DAY = 86_400_000;

/**
 * The keys table a demanding user has after a week of work: 15 keys with long names and
 * descriptions, an unnamed key, a canary someone tripped, a key rotated with a grace period (two
 * rows of one integration), a disabled key, an organization scope, traffic, and "Rotation due"
 * badges from a sweep run as of three months ahead (the steps).
 */
export async function seedKeyTable(service: ServiceClient): Promise<SeededKeys> {
  const make = async (body: Record<string, unknown>): Promise<Created> => {
    const res = await service.api<Created>('POST', '/v1/keys', { scope: { workspaceId: 'ws-1' }, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const longDescription =
    'Reconciles every EU invoice against the ledger each night, exports the result to the finance ' +
    'data warehouse, and pages the billing on-call when totals disagree by more than one cent.';
  const billing = await make({
    name: 'Billing service — EU production reconciliation and nightly invoice export',
    description: longDescription,
    owner: 'team-billing',
    roles: ['read', 'write'],
  });
  const unnamed = await make({ owner: 'alice' });
  const checkout = await make({
    name: 'Checkout API',
    owner: 'alice',
    type: 'personal',
    description: `${longDescription} ${longDescription}`,
  });
  const canary = await make({
    name: 'prod-db backup credentials (planted in the ops wiki)',
    owner: 'security',
    type: 'canary',
  });
  const legacy = await make({ name: 'Legacy importer', owner: 'dana', roles: ['admin'] });
  await service.api('PATCH', `/v1/keys/${legacy.key.keyId}`, { enabled: false });
  const longest = await make({
    name: 'Analytics pipeline ingest worker with a name long enough to wrap onto a third line of the table',
    owner: 'Data-Platform@Example.com',
    scope: { organizationId: 'org-analytics', workspaceIds: ['eu-west-1', 'us-east-1', 'ap-south-1'] },
    roles: ['read', 'write', 'admin'],
  });
  const others = [
    await make({
      name: "Partner feed for Acme Corporation's warehouse management integration (v2, read only)",
      owner: 'partners',
      scope: { organizationId: 'org-acme', workspaceIds: '*' },
    }),
    await make({ name: 'Support console', owner: 'Erin.Support@example.com', roles: ['write'] }),
    await make({ name: 'Reporting export', owner: 'dana', description: 'nightly BI job' }),
    await make({ name: 'Mobile app (iOS)', owner: 'mobile-team', ipAllowlist: ['203.0.113.0/24', '::1'] }),
    await make({ name: 'Mobile app (Android)', owner: 'mobile-team' }),
    await make({ name: 'Data warehouse sync', owner: 'data', environment: 'development' }),
    await make({
      name: 'Webhook relay',
      owner: 'integrations',
      expiresAt: new Date(Date.now() + 3 * DAY).toISOString(),
    }),
    await make({ name: 'Search indexer', owner: 'search' }),
  ];
  // Traffic: a few allowed requests, and the canary presented once.
  for (const key of [billing, checkout, others[1] as Created])
    expect((await service.demo(key.secret)).status).toBe(200);
  await service.demo(canary.secret);
  const rotated = await service.api<Created>('POST', `/v1/keys/${billing.key.keyId}/rotate`, {
    gracePeriodSeconds: 86_400,
  });
  expect(rotated.status).toBe(201);
  expect((await service.demo(rotated.body.secret)).status).toBe(200);
  // The steps: the sweep run as of three months ahead flags the production keys.
  const sweep = await service.api('POST', '/v1/rotation/sweep', {
    asOf: new Date(Date.now() + 95 * DAY).toISOString(),
  });
  expect(sweep.status).toBe(200);
  // The canary's trip reaches its key through usage counting (flushed every second).
  await vi.waitFor(
    async () => {
      const key = await service.api<{ tripCount?: number }>('GET', `/v1/keys/${canary.key.keyId}`);
      expect(key.body.tripCount).toBe(1);
    },
    { timeout: 15_000, interval: 200 },
  );
  const all = [billing, rotated.body, unnamed, checkout, canary, legacy, longest, ...others].map(
    (k) => k.key.keyId,
  );
  expect(all).toHaveLength(15);
  return {
    unnamed: unnamed.key.keyId,
    canary: canary.key.keyId,
    replaced: billing.key.keyId,
    successor: rotated.body.key.keyId,
    longest: longest.key.keyId,
    all,
  };
}

/** The API Keys page's table. */
export const keysTable = (page: Page) => page.getByRole('table', { name: 'API keys' });
/** The API Keys page's cards, one a key, on a phone. */
export const keyCards = (page: Page) => page.getByRole('list', { name: 'API keys' }).getByRole('listitem');
export const dialog = (page: Page) => page.getByRole('dialog');

/** A row's (or card's) action: its "Actions" menu button, then the item. */
export async function chooseAction(page: Page, holder: Locator, action: string): Promise<void> {
  await holder.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: action, exact: true }).click();
}

/**
 * Elements under `selector` whose content is wider than their box (scrollWidth against
 * clientWidth), the container included; visually hidden text (clipped on purpose) aside.
 */
export function overflowing(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const root = document.querySelector<HTMLElement>(sel);
    if (!root) return [`${sel} is missing`];
    return [root, ...Array.from(root.querySelectorAll<HTMLElement>('*'))]
      .filter((el) => !el.closest('.visually-hidden') && el.scrollWidth > el.clientWidth + 1)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth} > ${el.clientWidth}: ${el.textContent?.slice(0, 40)}`,
      );
  }, selector);
}
