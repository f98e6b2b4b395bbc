// Signs in to a running livernode node through its login form in headless Chromium, opens one of its pages, waits
// for an element and prints the page's DOM on stdout: what a signed-in user's browser shows, for tests that judge
// a page's content (CorrectionsEndToEndTest's QA view on the study list).
//
// Usage: node viewer/signed-in-page.mjs BASE USER PASSWORD PATH SELECTOR
//   BASE: http://127.0.0.1:PORT; PATH: the page, e.g. /; SELECTOR: a CSS selector that must appear (90 s at most).
import { launch, signIn } from './signed-in-browser.mjs';

const [base, user, password, pagePath, selector] = process.argv.slice(2);
if (!selector) {
  console.error('usage: node viewer/signed-in-page.mjs BASE USER PASSWORD PATH SELECTOR');
  process.exit(2);
}
const { context, close } = await launch();
try {
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(90_000);
  await signIn(page, base, pagePath, user, password);
  await page.locator(selector).first().waitFor({ state: 'attached' });
  process.stdout.write(await page.content());
} finally {
  await close();
}
