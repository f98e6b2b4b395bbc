// Signs in to a running livernode node through its login form in headless Chromium (Debian's /usr/bin/chromium
// through playwright-core), opens one of its pages, waits for an element and prints the page's DOM on stdout: what
// a signed-in user's browser shows, for tests that judge a page's content (CorrectionsEndToEndTest's QA view).
//
// Usage: node viewer/signed-in-page.mjs BASE USER PASSWORD PATH SELECTOR
//   BASE: http://127.0.0.1:PORT; PATH: the page, e.g. /; SELECTOR: a CSS selector that must appear (90 s at most).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [base, user, password, pagePath, selector] = process.argv.slice(2);
if (!selector) {
  console.error('usage: node viewer/signed-in-page.mjs BASE USER PASSWORD PATH SELECTOR');
  process.exit(2);
}
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livernode-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.LIVERNODE_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(90_000);
  // Without a session the node sends the browser to its login form, which brings it back to the page asked for.
  await page.goto(`${base}${pagePath}`);
  await page.waitForURL(/\/login\.html\?next=/);
  await page.fill('input[name=j_username]', user);
  await page.fill('input[name=j_password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(u => new URL(u).pathname === new URL(pagePath, base).pathname);
  await page.locator(selector).first().waitFor({ state: 'attached' });
  process.stdout.write(await page.content());
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
