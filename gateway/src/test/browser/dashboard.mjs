// Drives the dashboard in Debian's headless Chromium as an operator would: opens /, signs in with the
// form, reads who is signed in, the role and the camera count, whether the admin-only control shows,
// reloads (the session survives), signs out. Prints one line of JSON.
// Usage: node dashboard.mjs <gateway base URL> <username> <password>
import { launch } from './browser.mjs';

const [base, username, password] = process.argv.slice(2);
const browser = await launch();
const out = { errors: [] };
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => out.errors.push('pageerror:' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') out.errors.push('console:' + m.text()); });
  await page.goto(base + '/cameras', { waitUntil: 'networkidle' });
  out.signInShown = await page.locator('form.sign-in').isVisible();
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', 'not the password');
  await page.click('button[type=submit]');
  await page.waitForSelector('[role=alert]');
  out.wrongPassword = await page.locator('[role=alert]').innerText();
  // Chromium reports the refused login's 401 as a console error: that one was asked for.
  out.errors = out.errors.filter((e) => !e.includes('status of 401'));
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
  await page.waitForSelector('[data-testid=camera-total]');
  out.who = await page.locator('[data-testid=who]').innerText();
  out.total = await page.locator('[data-testid=camera-total]').innerText();
  out.syncShown = await page.locator('[data-testid=sync-all]').count() > 0;
  if (out.syncShown) {
    await page.click('[data-testid=sync-all]');
    await page.waitForSelector('[data-testid=sync-status]');
    out.syncStatus = await page.locator('[data-testid=sync-status]').innerText();
  }
  await page.reload({ waitUntil: 'networkidle' });
  await page.waitForSelector('[data-testid=who]', { timeout: 10000 });
  out.afterReload = await page.locator('[data-testid=who]').innerText();
  await page.click('text=Sign out');
  await page.waitForSelector('form.sign-in');
  out.signedOut = true;
  await page.reload({ waitUntil: 'networkidle' });
  out.signInAfterSignOut = await page.locator('form.sign-in').isVisible();
} catch (e) {
  out.errors.push('script:' + e.message);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
