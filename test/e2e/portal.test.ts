/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PORTAL_CSP, SECURITY_HEADERS } from '../../web/security-headers.ts';
import { expectAccessible, ui } from '../support/browser.ts';
import { chooseAction, dialog, overflowing, keysTable as table, useDashboard } from '../support/dashboard.ts';
import { makePortalLink } from '../support/portal.ts';

/**
 * Issue 25, the portal page as a user of a team's product meets it: `npm start` (a separate
 * process on DynamoDB Local) makes a link as `latchkey portal link` does, and Chromium opens it.
 * Everything goes through roles and accessible names, and each effect is checked through the
 * operator's API as well.
 */
const DAY = 86_400_000;
const WORKSPACE = 'acme-prod';
const USER = 'alice@example.com';
const RETURN_URL = 'https://app.acme.example/settings/api';
const LOGO_URL = 'https://cdn.acme.example/logo.svg';
const ACCENT = '#7c3aed';
const BRANDED = {
  subject: USER,
  scope: { workspaceId: WORKSPACE },
  roles: ['read', 'write'],
  returnUrl: RETURN_URL,
  branding: { productName: 'Acme Analytics', logoUrl: LOGO_URL, accentColor: ACCENT },
};

interface Key {
  keyId: string;
  name: string;
  owner: string;
  status: string;
  roles: string[];
  scope: unknown;
  createdBy: string;
  expiresAt: string | null;
  ipAllowlist?: string[];
  rotatedTo?: string;
}
interface Created {
  key: Key;
  secret: string;
}

const dash = useDashboard();
/** The keys in the user's workspace they may see, and the ones they must never see. */
let billing: Created;
let laptop: Created;
let hidden: Created[];

beforeAll(async () => {
  const make = async (body: Record<string, unknown>) => {
    const res = await dash.api<Created>('POST', '/v1/keys', { scope: { workspaceId: WORKSPACE }, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  billing = await make({ name: 'Billing export', roles: ['read', 'write'] });
  laptop = await make({ name: "Alice's laptop", type: 'personal', owner: USER });
  hidden = [
    await make({ name: "Bob's laptop", type: 'personal', owner: 'bob@example.com' }),
    await make({ name: 'Other workspace service', scope: { workspaceId: 'acme-staging' } }),
    await make({ name: 'Planted canary', type: 'canary' }),
  ];
  // A few days of traffic on the billing key, for its chart.
  for (let i = 0; i < 3; i++) expect((await dash.demo(billing.secret)).status).toBe(200);
  await vi.waitFor(
    async () => {
      const usage = await dash.api<{ total: { allowed: number } }>(
        'GET',
        `/v1/keys/${billing.key.keyId}/usage`,
      );
      expect(usage.body.total.allowed).toBe(3);
    },
    { timeout: 15_000, interval: 200 },
  );
}, 120_000);

const rowOf = (page: Page, keyId: string) =>
  table(page)
    .getByRole('row')
    .filter({ has: page.locator('code', { hasText: keyId }) });
const keyOf = async (keyId: string) => (await dash.api<Key>('GET', `/v1/keys/${keyId}`)).body;

/**
 * Opens a new link for `session` at `width`. The team's logo is served by a stand-in for its CDN
 * inside the browser (page routes come before the watched page's, which refuse anything off 127.0.0.1), so
 * nothing leaves the machine; every request the page makes is kept, to check none reaches /v1.
 */
async function openPortal(session: Record<string, unknown>, width = 1280) {
  const { url, sessionId } = await makePortalLink(dash.api, session);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/portal\/enter\?code=ps_/);
  const requests: string[] = [];
  const page = await dash.visit('about:blank', { width, height: 900 });
  await page.route(LOGO_URL, (route) =>
    route.fulfill({
      contentType: 'image/svg+xml',
      body: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="${ACCENT}"/><path d="M8 22 16 8l8 14z" fill="#fff"/></svg>`,
    }),
  );
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await page.goto(url);
  await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
  return { page, sessionId, requests };
}

/** The secret of the dialog that shows it once, and its key ID (inside the secret). */
async function secretOf(holder: Locator): Promise<{ secret: string; keyId: string }> {
  const field = holder.getByRole('textbox', { name: 'Secret key' });
  await ui.value(field).toMatch(/^lk_live_[A-Za-z0-9]{22}_/);
  const secret = await field.inputValue();
  return { secret, keyId: `key_${/^lk_live_([A-Za-z0-9]{22})_/.exec(secret)?.[1]}` };
}

describe('the portal page', () => {
  it('is served at /portal and below with the portal CSP (https images for the logo), the dashboard with its own', async () => {
    for (const path of ['/portal', '/portal/', '/portal/keys/key_abc']) {
      const res = await fetch(`${dash.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(PORTAL_CSP);
      expect(PORTAL_CSP).toContain("img-src 'self' data: https:");
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
      ])
        expect(PORTAL_CSP).toContain(directive);
      expect(PORTAL_CSP).not.toContain('unsafe');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await res.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\sstyle=|<style/);
    }
    const dashboard = await fetch(`${dash.url}/keys`);
    expect(dashboard.headers.get('content-security-policy')).toBe(
      SECURITY_HEADERS['content-security-policy'],
    );
    expect(dashboard.headers.get('content-security-policy')).not.toContain('https:');
    // The portal's API and landing answer for themselves, never with the page.
    expect((await fetch(`${dash.url}/portal/api/session`)).status).toBe(401);
    expect((await fetch(`${dash.url}/portal/enter?code=nope`)).status).toBe(401);
  });

  it('shows the team’s name, logo and colour, who is signed in and until when, and only the keys the session may see', async () => {
    const { page, requests } = await openPortal(BRANDED);
    const banner = page.getByRole('banner');
    await ui.text(banner).toContain('Acme Analytics');
    await ui.text(banner).toContain(`Signed in as ${USER}`);
    // The end is a time today and a date and time past midnight: the test may run at 23:30.
    await ui.text(banner).toMatch(/Session ends at (\d|[A-Z][a-z]{2} \d)/);
    const end = Date.parse((await banner.locator('time').getAttribute('datetime')) ?? '');
    expect(end - Date.now()).toBeGreaterThan(55 * 60_000);
    expect(end - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    const back = banner.getByRole('link', { name: 'Back to Acme Analytics' });
    expect(await back.getAttribute('href')).toBe(RETURN_URL);
    const logo = banner.locator('img');
    expect(await logo.getAttribute('src')).toBe(LOGO_URL);
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    // The accent is a custom property set through the CSSOM, and the primary button wears it.
    expect(await page.evaluate(() => document.documentElement.style.getPropertyValue('--accent'))).toBe(
      ACCENT,
    );
    expect(
      await page
        .getByRole('button', { name: 'Create API Key' })
        .evaluate((el) => getComputedStyle(el).backgroundColor),
    ).toBe('rgb(124, 58, 237)');
    expect(await page.title()).toBe('API Keys · Acme Analytics');
    // No operator navigation, no token form.
    await ui.count(page.getByRole('navigation', { name: 'Main' })).toBe(0);
    await ui.count(page.getByLabel('Admin token')).toBe(0);

    await ui
      .texts(table(page).getByRole('columnheader'))
      .toEqual(['NAME', 'KEY ID', 'ROLE', 'CREATED', 'LAST USED', 'STATUS', 'ACTIONS']);
    await rowOf(page, billing.key.keyId).waitFor();
    await rowOf(page, laptop.key.keyId).waitFor();
    const text = await table(page).innerText();
    for (const key of hidden) {
      expect(text).not.toContain(key.key.keyId);
      expect(text).not.toContain(key.key.name);
    }
    expect(await overflowing(page, '.table-scroll')).toEqual([]);
    await expectAccessible(page);

    // Search, through the URL.
    await page.getByLabel('Search').fill('laptop');
    await page.waitForURL(/\/portal\?search=laptop$/);
    await ui.count(table(page).locator('tbody tr')).toBe(1);
    await rowOf(page, laptop.key.keyId).waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL(/\/portal$/);
    await ui.count(table(page).locator('tbody tr')).toBe(2);
    await dash.screenshot(page, 'portal-keys.png');

    // The key's page, with its 30 days of use.
    await rowOf(page, billing.key.keyId).getByRole('link', { name: 'Billing export' }).click();
    await page.waitForURL(`${dash.url}/portal/keys/${billing.key.keyId}`);
    await page.getByRole('heading', { name: 'Billing export', level: 1 }).waitFor();
    await page
      .getByRole('img', { name: /Requests per day over the last 30 days: 3 allowed, 0 refused/ })
      .waitFor();
    await page.locator('.chart-canvas canvas').waitFor();
    await expectAccessible(page);
    await dash.screenshot(page, 'portal-key.png', { fullPage: true });
    // A key outside the session reads as missing, even by its URL.
    await page.goto(`${dash.url}/portal/keys/${hidden[0]?.key.keyId}`);
    await page.getByRole('heading', { name: 'Key not found', level: 1 }).waitFor();

    expect(requests.filter((path) => path.startsWith('/v1'))).toEqual([]);
  });

  it('creates a key, copies its secret, edits its name and role, rotates it with a grace period, revokes it, and signs out', async () => {
    const { page, requests } = await openPortal(BRANDED);
    const opener = page.getByRole('button', { name: 'Create API Key' });
    await opener.click();
    const form = dialog(page);
    await form.getByRole('heading', { name: 'Create API Key' }).waitFor();
    await ui.focused(form.getByLabel('Key Name')).toBe(true);
    await expectAccessible(page, 'dialog');
    // The session allows both types and two roles: both are offered, nothing else.
    await form.getByRole('radio', { name: 'Service' }).waitFor();
    await form.getByRole('radio', { name: 'Personal' }).waitFor();
    expect(await form.getByLabel('Role').locator('option').allInnerTexts()).toEqual(['read', 'write']);
    expect(await form.getByLabel('Expires').locator('option').allInnerTexts()).toEqual([
      'Never',
      '30 days',
      '60 days',
      '90 days',
      'Custom date',
    ]);
    for (const operatorOnly of ['Owner', 'Permissions', 'Environment', 'Description', 'Plan'])
      await ui.count(form.getByLabel(operatorOnly)).toBe(0);
    await form.getByLabel('Key Name').fill('CI pipeline');
    await form.getByLabel('Role').selectOption('write');
    await form.getByLabel('Expires').selectOption({ label: '30 days' });
    await form.getByLabel('IP allowlist').fill('127.0.0.1/32');
    await form.getByRole('button', { name: 'Create API Key' }).click();

    await form.getByRole('heading', { name: 'API key created' }).waitFor();
    const { secret, keyId } = await secretOf(form);
    await form.getByText('It will not be shown again').waitFor();
    await form.getByRole('button', { name: 'Copy' }).click();
    await ui.text(form.getByRole('status')).toBe('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await expectAccessible(page, 'dialog');
    await dash.screenshot(page, 'portal-secret.png');
    await form.getByRole('button', { name: 'I have copied it' }).click();
    await form.waitFor({ state: 'hidden' });
    await ui.focused(opener).toBe(true);
    expect(await page.content()).not.toContain(secret);

    // The API made it in the session's workspace, owned by the workspace, as the user.
    await ui.text(rowOf(page, keyId)).toContain('CI pipeline');
    const made = await keyOf(keyId);
    expect(made).toMatchObject({
      name: 'CI pipeline',
      owner: `workspace:${WORKSPACE}`,
      scope: { workspaceId: WORKSPACE },
      roles: ['write'],
      createdBy: `portal:${USER}`,
      ipAllowlist: ['127.0.0.1/32'],
    });
    expect(Date.parse(made.expiresAt as string) - Date.now()).toBeGreaterThan(29 * DAY);
    expect((await dash.demo(secret)).status).toBe(200);

    // Edit: name and role.
    await chooseAction(page, rowOf(page, keyId), 'Edit');
    const edit = dialog(page);
    await edit.getByRole('heading', { name: 'Edit CI pipeline' }).waitFor();
    await expectAccessible(page, 'dialog');
    await edit.getByLabel('Key Name').fill('CI pipeline (main branch)');
    await edit.getByLabel('Role').selectOption('read');
    await edit.getByRole('button', { name: 'Save Changes' }).click();
    await edit.waitFor({ state: 'hidden' });
    await ui.text(rowOf(page, keyId)).toContain('CI pipeline (main branch)');
    expect(await keyOf(keyId)).toMatchObject({ name: 'CI pipeline (main branch)', roles: ['read'] });

    // Rotate with a day's grace: a new secret once; the old key works on, marked replaced.
    await chooseAction(page, rowOf(page, keyId), 'Rotate');
    const rotate = dialog(page);
    await rotate.getByRole('heading', { name: 'Rotate CI pipeline (main branch)' }).waitFor();
    await rotate.getByRole('radio', { name: '24 hours' }).check();
    await expectAccessible(page, 'dialog');
    await rotate.getByRole('button', { name: 'Rotate Key' }).click();
    await rotate.getByRole('heading', { name: 'API key rotated' }).waitFor();
    const next = await secretOf(rotate);
    await ui.text(rotate).toContain(`The previous key ${keyId} keeps working until`);
    await rotate.getByRole('button', { name: 'I have copied it' }).click();
    await rotate.waitFor({ state: 'hidden' });
    await ui.text(rowOf(page, keyId)).toContain('Replaced');
    await rowOf(page, next.keyId).waitFor();
    const previous = await keyOf(keyId);
    expect(previous.rotatedTo).toBe(next.keyId);
    expect(Date.parse(previous.expiresAt as string) - Date.now()).toBeGreaterThan(DAY - 60_000);
    expect((await dash.demo(secret)).status).toBe(200);
    expect((await dash.demo(next.secret)).status).toBe(200);

    // Revoke the new key: the warning, then it stops working and leaves the list.
    await chooseAction(page, rowOf(page, next.keyId), 'Revoke');
    const revoke = dialog(page);
    await revoke.getByText('Applications using this key will stop working.').waitFor();
    await expectAccessible(page, 'dialog');
    await revoke.getByRole('button', { name: 'Revoke Key' }).click();
    await revoke.waitFor({ state: 'hidden' });
    await ui.count(rowOf(page, next.keyId)).toBe(0);
    expect((await keyOf(next.keyId)).status).toBe('revoked');
    expect((await dash.demo(next.secret)).status).toBe(401);

    // Delete the replaced key from its own page: back to the list, and the key is gone.
    await rowOf(page, keyId).getByRole('link', { name: 'CI pipeline (main branch)' }).click();
    await page.getByRole('heading', { name: 'CI pipeline (main branch)', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const remove = dialog(page);
    await remove.getByRole('heading', { name: 'Delete API key' }).waitFor();
    await expectAccessible(page, 'dialog');
    await remove.getByRole('button', { name: 'Delete Key' }).click();
    await page.waitForURL(`${dash.url}/portal`);
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    await ui.count(rowOf(page, keyId)).toBe(0);
    expect((await dash.api('GET', `/v1/keys/${keyId}`)).status).toBe(404);

    // Every action is the user's in the audit log.
    const audit = await dash.api<{ items: { actor: string; action: string }[] }>(
      'GET',
      `/v1/audit?keyId=${keyId}`,
    );
    expect(audit.body.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['key.created', 'key.updated', 'key.rotated', 'key.deleted']),
    );
    expect(new Set(audit.body.items.map((e) => e.actor))).toEqual(new Set([`portal:${USER}`]));

    // Sign out: the session ends at once, and the page says so with the way back.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'You have signed out', level: 1 }).waitFor();
    await ui.text(page.getByRole('main')).toContain('Your keys are unchanged and keep working.');
    expect(
      await page.getByRole('link', { name: 'Back to Acme Analytics' }).first().getAttribute('href'),
    ).toBe(RETURN_URL);
    await ui.count(page.getByRole('button', { name: 'Sign out' })).toBe(0);
    await expectAccessible(page);
    expect(await page.evaluate(async () => (await fetch('/portal/api/session')).status)).toBe(401);
    expect(requests.filter((path) => path.startsWith('/v1'))).toEqual([]);
  });

  it('shows a refusal of the session’s limits (403) beside the field it names, in words', async () => {
    const { page } = await openPortal(BRANDED);
    await page.getByRole('button', { name: 'Create API Key' }).click();
    const form = dialog(page);
    // A page that offered more than the session allows (an old tab, a crafted request): the API refuses.
    await page.route('**/portal/api/keys', (route) =>
      route.request().method() === 'POST'
        ? route.continue({
            postData: JSON.stringify({ ...route.request().postDataJSON(), roles: ['admin'] }),
          })
        : route.continue(),
    );
    await form.getByRole('button', { name: 'Create API Key' }).click();
    await ui.text(form.getByRole('alert')).toContain('The key was not created: one field needs a change.');
    await ui.text(form).toContain('You cannot give the role admin: choose read or write');
    expect(await form.getByLabel('Role').getAttribute('aria-invalid')).toBe('true');
    await ui.focused(form.getByLabel('Role')).toBe(true);
    await ui.count(form.getByRole('textbox', { name: 'Secret key' })).toBe(0);
    await expectAccessible(page, 'dialog');
  });

  it('offers a view-only session no create, edit, rotate or revoke', async () => {
    const { page } = await openPortal({ ...BRANDED, permissions: ['api.key.view'] });
    await rowOf(page, billing.key.keyId).waitFor();
    await ui.count(page.getByRole('button', { name: 'Create API Key' })).toBe(0);
    await ui.count(page.getByRole('button', { name: 'Actions' })).toBe(0);
    expect(await table(page).getByRole('columnheader').allInnerTexts()).not.toContain('ACTIONS');
    await expectAccessible(page);
    await rowOf(page, billing.key.keyId).getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Billing export', level: 1 }).waitFor();
    for (const action of ['Edit', 'Rotate', 'Revoke', 'Delete'])
      await ui.count(page.getByRole('button', { name: action, exact: true })).toBe(0);
  });

  it('says "Your session has ended" once the session is over, with the way back, on the next call and after a reload', async () => {
    const { page, sessionId } = await openPortal(BRANDED);
    await rowOf(page, billing.key.keyId).waitFor();
    // The team's backend ends it (DELETE /v1/portal/sessions/{id}); the page's next call is refused.
    expect((await dash.api('DELETE', `/v1/portal/sessions/${sessionId}`)).status).toBe(204);
    await page.getByLabel('Search').fill('billing');
    await page.getByRole('heading', { name: 'Your session has ended', level: 1 }).waitFor();
    await ui.focused(page.getByRole('heading', { name: 'Your session has ended' })).toBe(true);
    await ui.text(page.getByRole('main')).toContain('go back to Acme Analytics and open API keys from there');
    expect(await page.getByRole('link', { name: 'Back to Acme Analytics' }).last().getAttribute('href')).toBe(
      RETURN_URL,
    );
    await ui.count(table(page)).toBe(0);
    await expectAccessible(page);
    await dash.screenshot(page, 'portal-ended.png');
    await page.reload();
    await page.getByRole('heading', { name: 'Your session has ended', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Back to Acme Analytics' }).first().waitFor();
  });

  it('reaches no operator page or data with the portal cookie alone, and the link works once', async () => {
    const { page } = await openPortal(BRANDED);
    const link = (await makePortalLink(dash.api, BRANDED)).url;
    await rowOf(page, billing.key.keyId).waitFor();
    // The cookie is HttpOnly: the page's script never holds the session token.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([
      ['latchkey_portal', true, 'Strict'],
    ]);
    // The operator API needs the admin token; the portal cookie is no substitute.
    for (const path of ['/v1/keys', '/v1/whoami', '/v1/roles', `/v1/keys/${billing.key.keyId}`]) {
      expect(
        await page.evaluate(async (p) => (await fetch(p, { credentials: 'include' })).status, path),
      ).toBe(401);
    }
    // The dashboard's pages ask for the admin token and show nothing else.
    for (const path of ['/', '/keys', `/keys/${billing.key.keyId}`, '/roles']) {
      await page.goto(`${dash.url}${path}`);
      await page.getByLabel('Admin token').waitFor();
      await ui.count(table(page)).toBe(0);
      expect(await page.getByRole('main').innerText()).not.toContain(billing.key.keyId);
    }
    // A link opens once: a second visit is the 401 page.
    await page.goto(link);
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    const replay = await page.goto(link);
    expect(replay?.status()).toBe(401);
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor();
  });

  it('fits a 390 px phone: a card per key, no sideways scrolling, every action and the create form in reach', async () => {
    const { page } = await openPortal(BRANDED, 390);
    const cards = page.getByRole('list', { name: 'API keys' }).getByRole('listitem');
    await ui.count(cards).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await overflowing(page, '.key-cards')).toEqual([]);
    for (const part of [
      page.getByRole('button', { name: 'Sign out' }),
      page.getByRole('link', { name: 'Back to Acme Analytics' }),
      page.getByRole('button', { name: 'Create API Key' }),
    ]) {
      const box = await part.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    }
    await expectAccessible(page);
    await dash.screenshot(page, 'portal-phone.png', { fullPage: true });
    const card = cards.filter({ has: page.locator('code', { hasText: billing.key.keyId }) });
    await card.getByRole('button', { name: 'Actions' }).click();
    const menu = page.getByRole('menu');
    await menu.waitFor();
    expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual(['Edit', 'Rotate', 'Revoke', 'Delete']);
    for (const item of await menu.getByRole('menuitem').all()) {
      const box = await item.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    }
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Create API Key' }).click();
    await dialog(page).getByLabel('Key Name').waitFor();
    const box = await dialog(page).boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    // Nothing in the dialog scrolls sideways (its sticky button bar spans the body's padding on purpose).
    expect(
      await dialog(page).evaluate((el) =>
        [el, ...Array.from(el.querySelectorAll('.dialog-body, input, select, textarea'))]
          .filter((e) => e.scrollWidth > e.clientWidth + 1)
          .map((e) => e.outerHTML.slice(0, 60)),
      ),
    ).toEqual([]);
    await expectAccessible(page, 'dialog');
  });
});
