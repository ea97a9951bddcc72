/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, ui } from '../support/browser.ts';
import { chooseAction, dialog, keyCards, keysTable as table, useDashboard } from '../support/dashboard.ts';

/**
 * The dashboard in Chromium against `npm start` as a user runs it (a separate process on
 * DynamoDB Local, in memory). Every flow goes through roles and accessible names, and its
 * effect is checked through the API as well. The server's clock moves for the rotation test: a key
 * created now is then due "tomorrow" for the server.
 */
const dash = useDashboard({ clock: true });

interface Key {
  keyId: string;
  name: string;
  status: string;
  version: number;
  roles: string[];
  owner: string;
  rotationDue: boolean;
  rotatedTo?: string;
  rotatedFrom?: string;
}

async function createKey(fields: Record<string, unknown>): Promise<{ key: Key; secret: string }> {
  const res = await dash.api<{ key: Key; secret: string }>('POST', '/v1/keys', {
    owner: 'alice',
    scope: { workspaceId: 'ws-1' },
    ...fields,
  });
  expect(res.status).toBe(201);
  return res.body;
}

const row = (page: Page, text: string) => table(page).getByRole('row').filter({ hasText: text });

describe('the page', () => {
  it('is served at every app path with a strict CSP and no inline script', async () => {
    for (const path of ['/', '/keys/key_abc', '/roles', '/rotation']) {
      const res = await fetch(`${dash.url}${path}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ])
        expect(csp).toContain(directive);
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await res.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\sstyle=|<style/);
      expect(html).not.toMatch(/https?:\/\//);
    }
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await (await fetch(`${dash.url}/`)).text())?.[1];
    const js = await fetch(`${dash.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${dash.url}/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${dash.url}/v1/keys`)).status).toBe(401);
    expect((await fetch(`${dash.url}/healthz`)).status).toBe(200);
  });

  it('takes the token from the link into sessionStorage, asks for it without one, and goes back to it on a 401', async () => {
    const page = await dash.open();
    await page.getByRole('heading', { name: 'No API keys yet' }).waitFor();
    await page.getByRole('button', { name: 'Create your first key' }).waitFor();
    expect(page.url()).toBe(`${dash.url}/`);
    expect(await page.evaluate(() => sessionStorage.getItem('latchkey.token'))).toBe(dash.adminToken);
    await ui.text(page.getByRole('banner')).toContain('Signed in as local-admin');
    await expectAccessible(page);

    // A token that stops working (the server's changed): the next call's 401 shows the form.
    await page.evaluate(() => sessionStorage.setItem('latchkey.token', 'lk_admin_wrong'));
    await page.getByRole('link', { name: 'Roles' }).click();
    await page.getByLabel('Admin token').waitFor();
    await page.getByText('The server refused the token').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('latchkey.token'))).toBeNull();

    // Without a link: the form, a wrong token refused in place, then the right one.
    const fresh = await page.context().newPage();
    await fresh.goto(`${dash.url}/`);
    await fresh.getByLabel('Admin token').fill('lk_admin_not_it');
    await fresh.getByRole('button', { name: 'Sign in' }).click();
    await ui.text(fresh.getByRole('alert')).toContain('That token was refused');
    await expectAccessible(fresh);
    await fresh.getByLabel('Admin token').fill(dash.adminToken);
    await fresh.getByLabel('Admin token').press('Enter');
    await fresh.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
  });
});

describe('keys', () => {
  it('creates a key from the keyboard and shows its secret once; the key verifies through /demo', async () => {
    const page = await dash.open();
    const opener = page.getByRole('button', { name: 'Create API Key' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const form = dialog(page);
    await form.waitFor();
    await form.getByRole('heading', { name: 'Create API Key' }).waitFor();
    await ui.focused(form.getByLabel('Key Name')).toBe(true);
    await expectAccessible(page, 'dialog');

    // Escape closes it and focus goes back to the opener.
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'hidden' });
    await ui.focused(opener).toBe(true);

    await opener.click();
    await form.getByLabel('Key Name').fill('Checkout service');
    await form.getByLabel('Description').fill('Talks to the orders API');
    await form.getByRole('radio', { name: 'Personal' }).check();
    await form.getByLabel('Owner').fill('carol');
    await form.getByRole('radio', { name: 'A workspace' }).check();
    await form.getByLabel('Workspace ID').fill('ws-2');
    await form.getByRole('checkbox', { name: 'write' }).check();
    await form.getByLabel('Permissions').fill('orders:read');
    await form.getByLabel('Expires').selectOption({ label: '30 days' });
    await form.getByLabel('IP allowlist').fill('127.0.0.1/32, ::1');
    await form.getByRole('button', { name: 'Create', exact: true }).click();

    const secretField = form.getByRole('textbox', { name: 'Secret key' });
    await ui.value(secretField).toMatch(/^lk_live_[A-Za-z0-9]{22}_/);
    await expect(await secretField.getAttribute('readonly')).toBe('');
    await form.getByText('It will not be shown again').waitFor();
    const secret = await secretField.inputValue();
    const keyId = `key_${/^lk_live_([A-Za-z0-9]{22})_/.exec(secret)?.[1]}`;
    await form.getByText(keyId).waitFor();
    await expectAccessible(page, 'dialog');
    await dash.screenshot(page, 'create-secret.png');

    // Escape does not lose the secret: the dialog stays, the warning stands out, focus goes to the way out.
    await page.keyboard.press('Escape');
    await secretField.waitFor();
    await ui.focused(form.getByRole('button', { name: 'I have copied it' })).toBe(true);
    expect(await form.locator('.warning-strong').count()).toBe(1);

    await form.getByRole('button', { name: 'Copy' }).click();
    await ui.text(form.getByRole('status')).toBe('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    expect(page.url()).not.toContain(secret);

    await form.getByRole('button', { name: 'I have copied it' }).click();
    await form.waitFor({ state: 'hidden' });
    await ui.focused(opener).toBe(true);
    expect(await page.content()).not.toContain(secret);
    expect(await page.evaluate(() => document.body.innerText + JSON.stringify(history.state))).not.toContain(
      secret,
    );

    const created = row(page, 'Checkout service');
    await ui.text(created).toContain(keyId);
    await ui.text(created).toContain('Personal');
    await ui.text(created).toContain('ws-2');
    await ui.text(created).toContain('carol');
    await created.getByText('Active', { exact: true }).waitFor();

    const stored = (
      await dash.api<Key & { expiresAt: string; ipAllowlist: string[] }>('GET', `/v1/keys/${keyId}`)
    ).body;
    expect(stored).toMatchObject({
      type: 'personal',
      roles: ['read', 'write'],
      permissions: ['orders:read'],
    });
    expect(Date.parse(stored.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(stored.ipAllowlist).toEqual(['127.0.0.1/32', '::1']);
    expect((await dash.demo(secret)).status).toBe(200);
  });

  it('creates a key with every field left empty: the key ID names it, the caller owns it, default scope', async () => {
    const page = await dash.open();
    await page.getByRole('button', { name: 'Create API Key' }).click();
    const form = dialog(page);
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    const secretField = form.getByRole('textbox', { name: 'Secret key' });
    await ui.value(secretField).toMatch(/^lk_live_[A-Za-z0-9]{22}_/);
    const keyId = `key_${/^lk_live_([A-Za-z0-9]{22})_/.exec(await secretField.inputValue())?.[1]}`;
    await form.getByRole('button', { name: 'I have copied it' }).click();
    await form.waitFor({ state: 'hidden' });
    const stored = (await dash.api<Key & { scope: unknown; type: string }>('GET', `/v1/keys/${keyId}`)).body;
    expect(stored).toMatchObject({ name: keyId, owner: 'local-admin', scope: { workspaceId: 'default' } });
    await ui.text(row(page, keyId)).toContain('local-admin');
  });

  it('shows each API error in place, beside the fields it names', async () => {
    const page = await dash.open();
    await page.getByRole('button', { name: 'Create API Key' }).click();
    const form = dialog(page);
    await form.getByLabel('Owner').fill('bad owner!');
    await form.getByLabel('IP allowlist').fill('not-an-ip');
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    const alert = form.getByRole('alert');
    await ui.text(alert).toContain('The key was not created: 2 fields need a change');
    await ui.text(form).toContain('Not an IP address or CIDR range: not-an-ip');
    expect(await form.getByLabel('Owner').getAttribute('aria-invalid')).toBe('true');
    await ui.count(form.getByRole('textbox', { name: 'Secret key' })).toBe(0);
    await expectAccessible(page, 'dialog');
  });

  it('filters by search, owner, role and status through the URL, and clears them', async () => {
    await createKey({
      name: 'Reporting export',
      owner: 'dana',
      roles: ['read'],
      description: 'nightly BI job',
    });
    await createKey({ name: 'Support console', owner: 'erin', roles: ['write'] });
    const disabled = await createKey({ name: 'Legacy importer', owner: 'dana', roles: ['admin'] });
    await dash.api('PATCH', `/v1/keys/${disabled.key.keyId}`, { enabled: false });
    const revoked = await createKey({ name: 'Old webhook', owner: 'dana' });
    await dash.api('POST', `/v1/keys/${revoked.key.keyId}/revoke`);

    const page = await dash.open();
    await row(page, 'Legacy importer').getByText('Inactive', { exact: true }).waitFor();
    // Revoked keys leave the default view.
    await ui.count(row(page, 'Old webhook')).toBe(0);
    await expectAccessible(page);

    await page.getByLabel('Search').fill('nightly');
    await page.waitForURL(/\?search=nightly$/);
    await ui.texts(table(page).getByRole('link')).toEqual(['Reporting export']);

    await page.reload();
    await ui.value(page.getByLabel('Search')).toBe('nightly');
    await ui.texts(table(page).getByRole('link')).toEqual(['Reporting export']);

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL(`${dash.url}/`);
    await page.getByLabel('Owner').fill('dana');
    await page.waitForURL(/\?owner=dana$/);
    // Newest first within each status: active keys, then disabled ones.
    await ui.texts(table(page).getByRole('link')).toEqual(['Reporting export', 'Legacy importer']);
    await ui.text(page.locator('.list-footer [role=status]')).toBe('2 keys shown (1 revoked hidden)');

    await page.getByLabel('Role').selectOption('admin');
    await page.waitForURL(/owner=dana&role=admin/);
    await ui.texts(table(page).getByRole('link')).toEqual(['Legacy importer']);

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Status').selectOption('revoked');
    await page.waitForURL(/\?status=revoked$/);
    await ui.texts(table(page).getByRole('link')).toEqual(['Old webhook']);
    await row(page, 'Old webhook').getByText('Revoked', { exact: true }).waitFor();

    // A shared link opens the same view.
    const shared = page;
    await shared.goto(`${dash.url}/?owner=dana&status=inactive`);
    await ui.value(shared.getByLabel('Owner')).toBe('dana');
    await ui.value(shared.getByLabel('Status')).toBe('inactive');
    await ui.texts(table(shared).getByRole('link')).toEqual(['Legacy importer']);

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL(`${dash.url}/`);
    await ui.value(page.getByLabel('Status')).toBe('');
    await ui.count(row(page, 'Support console')).toBe(1);

    await page.getByLabel('Search').fill('no such key anywhere');
    await page.getByRole('heading', { name: 'No keys match these filters' }).waitFor();
  });

  it('follows nextCursor with "Load more keys"', async () => {
    for (let i = 0; i < 52; i++)
      await createKey({ name: `Bulk ${String(i).padStart(2, '0')}`, owner: 'bulk' });
    const page = await dash.open('/?owner=bulk');
    await ui.count(table(page).getByRole('link')).toBe(50);
    await page.getByRole('button', { name: 'Load more keys' }).click();
    await ui.count(table(page).getByRole('link')).toBe(52);
    await ui.count(page.getByRole('button', { name: 'Load more keys' })).toBe(0);
    await page.getByText('52 keys shown').waitFor();
  });

  it('edits a key with If-Match and, on a 412, offers to reload it', async () => {
    const { key } = await createKey({ name: 'Partner feed', owner: 'frank', roles: ['read'] });
    const page = await dash.open('/?owner=frank');
    await chooseAction(page, row(page, 'Partner feed'), 'Edit');
    const form = dialog(page);
    await form.getByText(key.keyId).waitFor();
    await form.getByText('Not retrievable').waitFor();
    await expectAccessible(page, 'dialog');
    await form.getByLabel('Key Name').fill('Partner feed v2');
    await form.getByLabel('Description').fill('for the partner portal');
    await form.getByRole('checkbox', { name: 'write' }).check();
    await form.getByLabel('Expires').selectOption({ label: '60 days' });
    await form.getByRole('button', { name: 'Save Changes' }).click();
    await form.waitFor({ state: 'hidden' });
    await ui.text(row(page, 'Partner feed v2')).toContain('write');
    const saved = (await dash.api<Key & { expiresAt: string }>('GET', `/v1/keys/${key.keyId}`)).body;
    expect(saved).toMatchObject({
      name: 'Partner feed v2',
      roles: ['read', 'write'],
      version: key.version + 1,
    });
    expect(Date.parse(saved.expiresAt) - Date.now()).toBeGreaterThan(59 * 86_400_000);

    // Someone else changes the key while the dialog is open.
    await chooseAction(page, row(page, 'Partner feed v2'), 'Edit');
    await form.getByLabel('Key Name').fill('Mine');
    await dash.api('PATCH', `/v1/keys/${key.keyId}`, { name: 'Theirs' });
    await form.getByRole('button', { name: 'Save Changes' }).click();
    await ui.text(form.getByRole('alert')).toContain('Someone else changed this key');
    await form.getByRole('button', { name: 'Reload key' }).click();
    await ui.value(form.getByLabel('Key Name')).toBe('Theirs');
    await form.getByLabel('Key Name').fill('Mine, after all');
    await form.getByRole('button', { name: 'Save Changes' }).click();
    await form.waitFor({ state: 'hidden' });
    expect((await dash.api<Key>('GET', `/v1/keys/${key.keyId}`)).body.name).toBe('Mine, after all');
  });

  it('disables and enables a key, then revokes it after the warning, and the next request is refused', async () => {
    const { key, secret } = await createKey({ name: 'Kiosk terminal', owner: 'gina' });
    const page = await dash.open('/?owner=gina');
    const kiosk = row(page, 'Kiosk terminal');
    await chooseAction(page, kiosk, 'Disable');
    await kiosk.getByText('Inactive', { exact: true }).waitFor();
    expect((await dash.api<Key>('GET', `/v1/keys/${key.keyId}`)).body.status).toBe('inactive');
    expect((await dash.demo(secret)).status).toBe(401);
    await chooseAction(page, kiosk, 'Enable');
    await kiosk.getByText('Active', { exact: true }).waitFor();
    expect((await dash.demo(secret)).status).toBe(200);

    await chooseAction(page, kiosk, 'Revoke');
    const confirm = dialog(page);
    await ui.text(confirm).toContain('Applications using this key will stop working');
    await confirm.getByRole('button', { name: 'Cancel' }).waitFor();
    await expectAccessible(page, 'dialog');
    await dash.screenshot(page, 'revoke-confirmation.png');
    await confirm.getByRole('button', { name: 'Revoke Key' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await ui.count(kiosk).toBe(0);
    // Focus does not get lost with the row: it goes to the page heading.
    await ui.focused(page.getByRole('heading', { name: 'API Keys', level: 1 })).toBe(true);
    expect((await dash.api<Key>('GET', `/v1/keys/${key.keyId}`)).body.status).toBe('revoked');
    expect((await dash.demo(secret)).status).toBe(401);
  });

  it('rotates with a grace period and shows the new secret once', async () => {
    const { key, secret: oldSecret } = await createKey({
      name: 'Payments worker',
      owner: 'hank',
      roles: ['write'],
    });
    const page = await dash.open('/?owner=hank');
    await chooseAction(page, row(page, 'Payments worker'), 'Rotate');
    const rotate = dialog(page);
    await expectAccessible(page, 'dialog');
    await rotate.getByRole('radio', { name: '1 hour' }).check();
    await rotate.getByRole('button', { name: 'Rotate Key' }).click();
    const secretField = rotate.getByRole('textbox', { name: 'Secret key' });
    await ui.value(secretField).toMatch(/^lk_live_[A-Za-z0-9]{22}_/);
    const newSecret = await secretField.inputValue();
    await ui.text(rotate).toContain(`The previous key ${key.keyId} keeps working until`);
    await expectAccessible(page, 'dialog');
    // The old key's row may change behind the dialog; the secret stays until it is dismissed.
    await ui.value(secretField).toBe(newSecret);
    await rotate.getByRole('button', { name: 'I have copied it' }).click();
    await rotate.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(newSecret);

    const old = (await dash.api<Key>('GET', `/v1/keys/${key.keyId}`)).body;
    expect(old.rotatedTo).toMatch(/^key_/);
    expect(newSecret).toContain((old.rotatedTo as string).slice('key_'.length));
    expect((await dash.demo(newSecret)).status).toBe(200);
    expect((await dash.demo(oldSecret)).status).toBe(200);
    await ui.count(table(page).getByRole('link', { name: 'Payments worker' })).toBe(2);
  });

  it('deletes a key after confirmation', async () => {
    const { key, secret } = await createKey({ name: 'Temp script', owner: 'ivy' });
    const page = await dash.open('/?owner=ivy');
    await chooseAction(page, row(page, 'Temp script'), 'Delete');
    const confirm = dialog(page);
    await ui.text(confirm).toContain('Applications using this key will stop working');
    await expectAccessible(page, 'dialog');
    await confirm.getByRole('button', { name: 'Delete Key' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'No keys match these filters' }).waitFor();
    expect((await dash.api('GET', `/v1/keys/${key.keyId}`)).status).toBe(404);
    expect((await dash.demo(secret)).status).toBe(401);
  });

  it("deletes a key from its own page and goes back to the list, not to the deleted key's 404", async () => {
    const { key } = await createKey({ name: 'Scratch key', owner: 'ivy' });
    const page = await dash.open(`/keys/${key.keyId}`);
    await page.getByRole('heading', { name: 'Scratch key', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog(page).getByRole('button', { name: 'Delete Key' }).click();
    await page.waitForURL(`${dash.url}/`);
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    expect((await dash.api('GET', `/v1/keys/${key.keyId}`)).status).toBe(404);
  });

  it('shows a key: every field, 30 days of usage as a chart, its audit history and rotation links', async () => {
    const { key, secret } = await createKey({
      name: 'Storefront',
      owner: 'jack',
      description: 'public shop front',
      roles: ['read'],
      metadata: { team: 'web' },
    });
    for (let i = 0; i < 3; i++) expect((await dash.demo(secret)).status).toBe(200);
    await dash.api('PATCH', `/v1/keys/${key.keyId}`, { enabled: false });
    expect((await dash.demo(secret)).status).toBe(401);
    await dash.api('PATCH', `/v1/keys/${key.keyId}`, { enabled: true });
    await expect
      .poll(
        async () =>
          (
            await dash.api<{ total: { allowed: number; refused: number } }>(
              'GET',
              `/v1/keys/${key.keyId}/usage`,
            )
          ).body.total,
        {
          timeout: 15_000,
        },
      )
      .toEqual({ allowed: 3, refused: 1 });
    const rotated = await dash.api<{ key: Key }>('POST', `/v1/keys/${key.keyId}/rotate`, {
      gracePeriodSeconds: 86_400,
    });

    // A deep link: the server answers index.html for /keys/<id>.
    const page = await dash.open(`/keys/${key.keyId}`);
    await page.getByRole('heading', { name: 'Storefront', level: 1 }).waitFor();
    const details = page.getByRole('region', { name: 'Details' });
    for (const text of ['public shop front', 'jack', 'Service', 'Workspace ws-1', 'production', 'team=web'])
      await ui.text(details).toContain(text);
    const usage = page.getByRole('region', { name: 'Usage, last 30 days' });
    await ui.text(usage.locator('.total-allowed')).toBe('3');
    await ui.text(usage.locator('.total-refused')).toBe('1');
    await usage.getByRole('img', { name: /3 allowed, 1 refused/ }).waitFor();
    await usage.locator('canvas').waitFor();
    const audit = page.getByRole('table', { name: 'Audit history' });
    for (const action of ['Created', 'Disabled', 'Enabled', 'Rotated'])
      await ui.text(audit).toContain(action);
    // The key a rotation replaced is done with rotation: it runs out its grace.
    const rotation = page.getByRole('region', { name: 'Rotation' });
    await ui.text(rotation).toContain('Not due: already rotated; works until');
    await expectAccessible(page);
    await usage.scrollIntoViewIfNeeded();
    await dash.screenshot(usage, 'key-detail-chart.png');

    await usage.getByText('Show the numbers').click();
    await ui.count(usage.getByRole('table', { name: 'Requests per day' }).getByRole('row')).toBe(31);

    await rotation.getByRole('link', { name: rotated.body.key.keyId }).click();
    await page.waitForURL(`${dash.url}/keys/${rotated.body.key.keyId}`);
    await page.getByRole('region', { name: 'Rotation' }).getByRole('link', { name: key.keyId }).waitFor();
    await page.getByRole('link', { name: 'API Keys' }).first().click();
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    await table(page).getByRole('link', { name: 'Storefront' }).first().click();
    await page.waitForURL(/\/keys\/key_/);

    await page.goto(`${dash.url}/keys/key_doesNotExist0000000000`);
    await page.getByRole('heading', { name: 'Key not found' }).waitFor();
    await ui.text(page.getByRole('alert')).toContain('not found');
  });
});

describe('roles', () => {
  it('creates, edits and deletes a custom role, and explains a 409 when keys use it', async () => {
    const page = await dash.open('/roles');
    const roles = page.getByRole('table', { name: 'Roles' });
    await ui.text(roles.getByRole('row').filter({ hasText: 'admin' })).toContain('Built-in');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Create Role' }).click();
    const form = dialog(page);
    await form.getByLabel('Role Name').fill('customer-service');
    await form.getByLabel('Description').fill('Answers customers');
    await form.getByLabel('Permissions').fill('customers:read, tickets:write');
    await expectAccessible(page, 'dialog');
    await form.getByRole('button', { name: 'Create Role' }).click();
    await form.waitFor({ state: 'hidden' });
    const custom = roles.getByRole('row').filter({ hasText: 'customer-service' });
    await ui.text(custom).toContain('Custom');
    await ui.text(custom).toContain('0 keys');

    await custom.getByRole('button', { name: 'Edit' }).click();
    await form.getByLabel('Description').fill('Answers customers and refunds');
    await form.getByRole('button', { name: 'Save Changes' }).click();
    await ui.text(custom).toContain('Answers customers and refunds');

    const user = await createKey({ name: 'Helpdesk', owner: 'kim', roles: ['customer-service'] });
    await page.reload();
    await ui.text(custom).toContain('1 key');
    await custom.getByRole('button', { name: 'Delete' }).click();
    await form.getByRole('button', { name: 'Delete Role' }).click();
    await ui.text(form.getByRole('alert')).toContain('still in use');
    await expectAccessible(page, 'dialog');
    await form.getByRole('button', { name: 'Cancel' }).click();

    // The create dialog offers the custom role.
    await page.getByRole('link', { name: 'API Keys' }).first().click();
    await page.getByRole('button', { name: 'Create API Key' }).click();
    await dialog(page).getByRole('checkbox', { name: 'customer-service' }).waitFor();
    await page.keyboard.press('Escape');

    await dash.api('POST', `/v1/keys/${user.key.keyId}/revoke`);
    await page.getByRole('link', { name: 'Roles' }).click();
    await custom.getByRole('button', { name: 'Delete' }).click();
    await form.getByRole('button', { name: 'Delete Role' }).click();
    await form.waitFor({ state: 'hidden' });
    await ui.count(custom).toBe(0);
    expect((await dash.api('GET', '/v1/roles/customer-service')).status).toBe(404);
  });
});

describe('rotation', () => {
  it('previews the sweep as a dry run, then runs it, and lists the keys due', async () => {
    const { key } = await createKey({ name: 'Nightly batch', owner: 'lee', rotationDays: 1 });
    const page = await dash.open('/rotation');
    await page.getByRole('button', { name: 'Run sweep now' }).click();
    const sweep = dialog(page);
    await ui.text(sweep).toContain('nothing changes until you run the sweep');
    await ui.text(sweep.getByRole('region', { name: /Would flag as due/ })).not.toContain(key.keyId);
    await expectAccessible(page, 'dialog');

    // A later day can be previewed without changing anything.
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000);
    const day = `${inTwoDays.getFullYear()}-${String(inTwoDays.getMonth() + 1).padStart(2, '0')}-${String(inTwoDays.getDate()).padStart(2, '0')}`;
    await sweep.getByLabel('As of').fill(day);
    await sweep.getByRole('button', { name: 'Preview' }).click();
    await ui.text(sweep.getByRole('region', { name: /Would flag as due/ })).toContain(key.keyId);
    expect((await dash.api<Key>('GET', `/v1/keys/${key.keyId}`)).body.rotationDue).toBe(false);
    await sweep.getByRole('button', { name: 'Cancel' }).click();

    // Two days on for the server: the key is due now, and the sweep run now flags it.
    await dash.clock.set(2 * 86_400_000);
    try {
      await page.getByRole('button', { name: 'Run sweep now' }).click();
      await ui.text(sweep.getByRole('region', { name: /Would flag as due/ })).toContain(key.keyId);
      expect((await dash.api<Key>('GET', `/v1/keys/${key.keyId}`)).body.rotationDue).toBe(false);
      await sweep.getByRole('button', { name: 'Run sweep' }).click();
      await ui.text(sweep.getByRole('status')).toContain('Sweep complete');
      await ui.text(sweep.getByRole('region', { name: /Flagged as due/ })).toContain(key.keyId);
      await sweep.getByRole('button', { name: 'Done' }).click();
      expect((await dash.api<Key>('GET', `/v1/keys/${key.keyId}`)).body.rotationDue).toBe(true);

      const due = page.getByRole('table', { name: 'Keys due for rotation' });
      await due.getByRole('row').filter({ hasText: 'Nightly batch' }).waitFor();
      await expectAccessible(page);
      await page.getByRole('link', { name: 'API Keys' }).first().click();
      await page.getByLabel('Owner').fill('lee');
      await row(page, 'Nightly batch').getByText('Rotation due').waitFor();
    } finally {
      await dash.clock.set(0);
    }
  });
});

describe('layout', () => {
  it('works on a 390 px phone: a card per key, nothing to scroll sideways', async () => {
    const page = await dash.open('/?owner=dana', { width: 390, height: 844 });
    const cards = keyCards(page);
    await ui.count(cards).toBe(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Create API Key' }).click();
    await dialog(page).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = await dialog(page).boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
  });
});
