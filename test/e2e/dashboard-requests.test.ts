/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { expectAccessible, ui } from '../support/browser.ts';
import { useDashboard } from '../support/dashboard.ts';

/**
 * A key's page as an operator investigating it sees it, in Chromium against `npm start`: its
 * Requests section (newest first, with the CSV export), refusals by code per day in the chart, and
 * the top routes and addresses. Traffic through /demo on three days, refused three ways.
 */
const DAY = 86_400_000;
const dash = useDashboard({ clock: true });

let keyId: string;
let secret: string;
/** What was sent, in order: the method, the agent, and the outcome the key should get. */
const sent: { method: string; agent: string; outcome: string }[] = [];

async function demo(method: string, agent: string, outcome: string) {
  const res = await dash.demo(secret, {
    method,
    path: `/demo/orders/${sent.length}`,
    headers: { 'user-agent': agent },
  });
  expect(res.status, `${method} ${outcome}`).toBe(
    outcome === 'ALLOWED' ? 200 : outcome === 'DISABLED' ? 401 : 403,
  );
  sent.push({ method, agent, outcome });
}

beforeAll(async () => {
  const created = await dash.api<{ key: { keyId: string }; secret: string }>('POST', '/v1/keys', {
    name: 'Orders sync',
    owner: 'team-orders',
    roles: ['read'],
  });
  ({ keyId } = created.body.key);
  ({ secret } = created.body);
  try {
    await dash.clock.set(-3 * DAY);
    for (let i = 0; i < 6; i++) await demo('GET', 'orders-sync/2.4 (+https://orders.example)', 'ALLOWED');
    for (let i = 0; i < 3; i++)
      await demo('POST', 'orders-sync/2.4 (+https://orders.example)', 'INSUFFICIENT_PERMISSIONS');
    await dash.clock.set(-1 * DAY);
    await dash.api('PATCH', `/v1/keys/${keyId}`, { enabled: false });
    for (let i = 0; i < 2; i++) await demo('GET', 'python-requests/2.32.3', 'DISABLED');
    await dash.api('PATCH', `/v1/keys/${keyId}`, { enabled: true, ipAllowlist: ['10.0.0.0/8'] });
    for (let i = 0; i < 2; i++) await demo('GET', 'python-requests/2.32.3', 'IP_NOT_ALLOWED');
    await dash.api('PATCH', `/v1/keys/${keyId}`, { ipAllowlist: null });
    await dash.clock.set(0);
    for (let i = 0; i < 4; i++) await demo('GET', 'curl/8.7.1', 'ALLOWED');
    await demo('DELETE', 'curl/8.7.1', 'INSUFFICIENT_PERMISSIONS');
  } finally {
    await dash.clock.set(0);
  }
  // Counted with the next usage flush (1 s here).
  await vi.waitFor(
    async () => {
      const listed = await dash.api<{ items: unknown[] }>('GET', `/v1/keys/${keyId}/requests`);
      expect(listed.body.items).toHaveLength(sent.length);
    },
    { timeout: 15_000, interval: 200 },
  );
}, 120_000);

const requestsSection = (page: Page) => page.getByRole('region', { name: 'Requests', exact: true });

describe("a key's page", () => {
  it('lists its requests newest first, each with its outcome, route, address, agent and latency', async () => {
    const page = await dash.open(`/keys/${keyId}`, { width: 1280, height: 900 });
    const section = requestsSection(page);
    const rows = section.getByRole('row');
    await ui.count(rows).toBe(sent.length + 1);
    const cells = await rows.evaluateAll((trs) =>
      trs.slice(1).map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.trim() ?? '')),
    );
    expect(cells.map(([, outcome, request, ip, agent]) => [outcome, request, ip, agent])).toEqual(
      [...sent].reverse().map((s) => [s.outcome, `${s.method} /demo/{proxy+}`, '127.0.0.1', s.agent]),
    );
    for (const row of cells) expect(row[5]).toMatch(/^\d+(\.\d+)? ms$/);
    await ui
      .text(page.getByText('Last request', { exact: true }).locator('..'))
      .toMatch(/GET \/demo\/\{proxy\+\}\s+from 127\.0\.0\.1, curl\/8\.7\.1/);
    await expectAccessible(page, 'main');
  });

  it('exports them as the API serves its CSV', async () => {
    const page = await dash.open(`/keys/${keyId}`, { width: 1280, height: 900 });
    const section = requestsSection(page);
    await ui.count(section.getByRole('row')).toBe(sent.length + 1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`latchkey-requests-${keyId}.csv`);
    const saved = readFileSync(await download.path(), 'utf8');
    const served = (
      await dash.api('GET', `/v1/keys/${keyId}/requests?format=csv&limit=1000`, undefined, {
        accept: 'text/csv',
      })
    ).text;
    expect(saved).toBe(served);
    const lines = saved.split('\r\n');
    expect(lines[0]).toBe('"at","outcome","method","path","sourceIp","userAgent","latencyMs","region"');
    expect(lines).toHaveLength(sent.length + 2);
    expect(lines[1]).toContain(
      '"INSUFFICIENT_PERMISSIONS","DELETE","/demo/{proxy+}","127.0.0.1","curl/8.7.1"',
    );
  });

  it('charts refusals by code per day, and shows the top routes and addresses', async () => {
    const page = await dash.open(`/keys/${keyId}`, { width: 1280, height: 900 });
    const usage = page.getByRole('region', { name: 'Usage, last 30 days' });
    await usage.getByText('Show the numbers').click();
    const numbers = usage.getByRole('table', { name: 'Requests per day, refusals by code' });
    // As shown: table headers are set in capitals.
    await ui
      .texts(numbers.getByRole('columnheader'))
      .toEqual([
        'DAY (UTC)',
        'ALLOWED',
        'REFUSED',
        'INSUFFICIENT_PERMISSIONS',
        'DISABLED',
        'IP_NOT_ALLOWED',
        'LATENCY P50 (MS)',
        'LATENCY P99 (MS)',
      ]);
    const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
    const rowOf = async (date: string) =>
      (
        await numbers
          .getByRole('row', { name: new RegExp(`^${date}`) })
          .locator('td')
          .allInnerTexts()
      ).slice(0, 5);
    expect(await rowOf(day(-3))).toEqual(['6', '3', '3', '0', '0']);
    expect(await rowOf(day(-1))).toEqual(['0', '4', '0', '2', '2']);
    expect(await rowOf(day(0))).toEqual(['4', '1', '1', '0', '0']);
    expect(await usage.getByRole('img').getAttribute('aria-label')).toMatch(
      /10 allowed, 8 refused \(4 INSUFFICIENT_PERMISSIONS, 2 DISABLED, 2 IP_NOT_ALLOWED\)/,
    );
    const routes = usage.getByRole('table', { name: 'Top routes' });
    await ui
      .texts(routes.getByRole('row'))
      .toEqual([
        'ROUTE\tREQUESTS\tSHARE',
        'GET /demo/{proxy+}\t14\t78%',
        'POST /demo/{proxy+}\t3\t17%',
        'DELETE /demo/{proxy+}\t1\t6%',
      ]);
    const addresses = usage.getByRole('table', { name: 'Top source IPs' });
    await ui.texts(addresses.getByRole('row')).toEqual(['ADDRESS\tREQUESTS\tSHARE', '127.0.0.1\t18\t100%']);
    await dash.screenshot(page, 'key-requests.png', { fullPage: true });
  });

  it('fits a phone: nothing but the tables scrolls sideways', async () => {
    const page = await dash.open(`/keys/${keyId}`, { width: 390, height: 844 });
    await ui.count(requestsSection(page).getByRole('row')).toBe(sent.length + 1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await requestsSection(page).scrollIntoViewIfNeeded();
    await dash.screenshot(page, 'key-requests-phone.png', { fullPage: true });
  });
});
