// What livernode's browser scripts share (viewer-test.mjs, signed-in-page.mjs): Debian's headless Chromium through
// playwright-core in a throw-away profile, and the sign-in a user does: open a page of the node, be sent to its login
// form, fill it in and come back to the page asked for.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Starts the browser; close() ends it and removes its profile. */
export async function launch(options = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livernode-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.LIVERNODE_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...options,
  });
  const close = async () => {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

/** Opens base + pagePath without a session: the node sends the browser to its login form, which brings it back. */
export async function signIn(page, base, pagePath, user, password) {
  await page.goto(`${base}${pagePath}`);
  await page.waitForURL(/\/login\.html\?next=/);
  await page.fill('input[name=j_username]', user);
  await page.fill('input[name=j_password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(u => new URL(u).pathname === new URL(pagePath, base).pathname);
}
