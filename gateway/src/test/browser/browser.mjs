// Debian's Chromium, headless, as both player scripts run it; and a page of the gateway's own origin
// with a player library loaded, so the player fetches playlists without CORS.
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required'],
  });
}

export async function pageWith(browser, base, library) {
  const page = await browser.newPage();
  await page.goto(base + '/health/live');
  await page.addScriptTag({ path: path.join(here, 'node_modules', library) });
  return page;
}
