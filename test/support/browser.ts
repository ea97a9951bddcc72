/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium (`command -v chromium`); nothing downloads a browser. */
export function chromiumPath(): string {
  return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}

export interface Watched {
  context: BrowserContext;
  page: Page;
  /** CSP violations the page reported (`securitypolicyviolation`), as "directive blocked-uri". */
  cspViolations(): Promise<string[]>;
  /** Requests that left loopback (there must be none). */
  offsite: string[];
}

/** A fresh context and page that record CSP violations and any request off 127.0.0.1. */
export async function newWatchedPage(
  browser: Browser,
  options: { width?: number; height?: number } = {},
): Promise<Watched> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const offsite: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== '127.0.0.1') {
      offsite.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  return {
    context,
    page,
    offsite,
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []),
  };
}

/** axe's serious and critical violations on the page (or within `include`), as readable lines. */
export async function seriousA11yViolations(page: Page, include?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Fails naming every serious or critical axe violation on the page (or within `include`). */
export async function expectAccessible(page: Page, include?: string): Promise<void> {
  expect(await seriousA11yViolations(page, include)).toEqual([]);
}

const POLL = { timeout: 10_000, interval: 50 };

/**
 * Web-first assertions (playwright-core has no `expect`): each reads the page again until it
 * matches or 10 s pass, so nothing waits on a fixed delay.
 */
export const ui = {
  text: (locator: Locator) => expect.poll(() => locator.innerText(), POLL),
  texts: (locator: Locator) => expect.poll(() => locator.allInnerTexts(), POLL),
  value: (locator: Locator) => expect.poll(() => locator.inputValue(), POLL),
  count: (locator: Locator) => expect.poll(() => locator.count(), POLL),
  focused: (locator: Locator) =>
    expect.poll(() => locator.evaluate((element) => element === document.activeElement), POLL),
};
