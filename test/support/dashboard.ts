/// <reference lib="dom" />
import type { Browser, Locator, Page } from 'playwright-core';
import { expect, vi } from 'vitest';
import { freePort } from '../../local/dynamodb-local.ts';
import { ensureDashboardBuilt } from '../../web/serve.ts';
import { launchChromium, newWatchedPage, type Watched } from './browser.ts';
import { type ServerProcess, startServerProcess } from './process.ts';

/** A JSON answer of the management API. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely in tests
export type Answer<T = any> = { status: number; body: T };

/**
 * `npm start` as a user runs it (in memory, a token of its own) and Chromium in front of it: the
 * set-up every dashboard test needs, in one place. `open` opens a page the way the printed link
 * does (the token in the fragment); `checkPage` closes it after checking it broke no CSP and
 * called nothing off the machine.
 */
export interface DashboardRig {
  readonly base: string;
  readonly server: ServerProcess;
  readonly browser: Browser;
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<Answer<T>>;
  /** A request to the local /demo route with a key's secret: its status. */
  demo(secret: string, init?: { method?: string; path?: string }): Promise<number>;
  open(path?: string, viewport?: { width?: number; height?: number }): Promise<Page>;
  /** Opens `url` as it is, without the admin token (a portal link, say), in a fresh watched page. */
  visit(url: string, viewport?: { width?: number; height?: number }): Promise<Page>;
  checkPage(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDashboard(token: string, env: Record<string, string> = {}): Promise<DashboardRig> {
  await ensureDashboardBuilt();
  const server = startServerProcess({
    PORT: String(await freePort()),
    LATCHKEY_MEMORY: '1',
    LATCHKEY_ADMIN_TOKEN: token,
    LATCHKEY_USAGE_FLUSH_SECONDS: '1',
    ...env,
  });
  const [{ url: base }, browser] = await Promise.all([server.ready, launchChromium()]);
  let watched: Watched | undefined;
  const checkPage = async () => {
    if (!watched) return;
    const { context, offsite, cspViolations } = watched;
    watched = undefined;
    try {
      expect(await cspViolations()).toEqual([]);
      expect(offsite).toEqual([]);
    } finally {
      await context.close();
    }
  };
  return {
    base,
    server,
    browser,
    async api(method, path, body) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async demo(secret, init = {}) {
      const res = await fetch(`${base}${init.path ?? '/demo/orders'}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${secret}` },
      });
      await res.arrayBuffer();
      return res.status;
    },
    async open(path = '/', viewport = {}) {
      await checkPage();
      watched = await newWatchedPage(browser, viewport);
      await watched.page.goto(`${base}${path}#token=${token}`);
      return watched.page;
    },
    async visit(url, viewport = {}) {
      await checkPage();
      watched = await newWatchedPage(browser, viewport);
      await watched.page.goto(url);
      return watched.page;
    },
    checkPage,
    async stop() {
      await browser.close();
      server.child.kill('SIGTERM');
      await server.exited;
    },
  };
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
export async function seedKeyTable(rig: DashboardRig): Promise<SeededKeys> {
  const make = async (body: Record<string, unknown>): Promise<Created> => {
    const res = await rig.api<Created>('POST', '/v1/keys', { scope: { workspaceId: 'ws-1' }, ...body });
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
  await rig.api('PATCH', `/v1/keys/${legacy.key.keyId}`, { enabled: false });
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
  for (const key of [billing, checkout, others[1] as Created]) expect(await rig.demo(key.secret)).toBe(200);
  await rig.demo(canary.secret);
  const rotated = await rig.api<Created>('POST', `/v1/keys/${billing.key.keyId}/rotate`, {
    gracePeriodSeconds: 86_400,
  });
  expect(rotated.status).toBe(201);
  expect(await rig.demo(rotated.body.secret)).toBe(200);
  // The steps: the sweep run as of three months ahead flags the production keys.
  const sweep = await rig.api('POST', '/v1/rotation/sweep', {
    asOf: new Date(Date.now() + 95 * DAY).toISOString(),
  });
  expect(sweep.status).toBe(200);
  // The canary's trip reaches its key through usage counting (flushed every second).
  await vi.waitFor(
    async () => {
      const key = await rig.api<{ tripCount?: number }>('GET', `/v1/keys/${canary.key.keyId}`);
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
