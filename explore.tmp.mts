import { chromium } from 'playwright-core';
const port = process.argv[2];
const token = 'lk_admin_devtoken_0123456789abcdefghijkl';
const base = `http://127.0.0.1:${port}`;
const h = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
for (const [name, owner, roles] of [['CI/CD integration','alice',['read']],['Mobile app','bob',['write']]] as const) {
  await fetch(`${base}/v1/keys`, { method: 'POST', headers: h, body: JSON.stringify({ name, owner, scope: { workspaceId: 'ws-1' }, roles }) });
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
const page = await ctx.newPage();
await page.goto(`${base}/#token=${token}`);
await page.getByRole('table', { name: 'API keys' }).waitFor();
console.log(await page.evaluate(() => [...document.querySelectorAll('body *')].map((e) => [e.tagName + '.' + e.className, e.getBoundingClientRect().right]).filter(([, r]) => (r as number) > 395).slice(0, 12)));
await page.screenshot({ path: '/tmp/pw/phone.png' });
await browser.close();
