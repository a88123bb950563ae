// Drives the operators' dashboard in Debian's headless Chromium (Playwright) through the test hooks of
// dashboard/README.md, as an operator would: sign in; discover and bulk-import cameras (source and an
// Arabic name); sync all with its progress bar; open a camera, start a 5-minute recording, see the
// countdown move, stop it; see another client's start within 2 s; a day's timeline with gaps; click the
// timeline and play from there; -2x runs the recording time backward; a deep link plays its moment at
// its speed; export a span dragged on the timeline, verify it in the browser and download it; the wall's
// four overlays agree. Screenshots of each view go to the directory given.
// Prints one line of JSON with what it saw.
// Usage: node dashboard-flows.mjs <gateway base URL> <admin password> <viewer password> <screenshot dir>
import { mkdirSync } from 'node:fs';
import { launch } from './browser.mjs';

const [base, adminPassword, viewerPassword, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const out = { errors: [], steps: [] };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function api(path, token, body, method = body === undefined ? 'GET' : 'POST') {
  const res = await fetch(base + path, {
    method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** The overlay's recording time (ms) and the video's position, or null before the first picture. */
async function shown(page, tile = 0) {
  return page.evaluate((i) => {
    const o = document.querySelectorAll('[data-testid=player-time]')[i];
    const v = document.querySelectorAll('[data-testid=player-video]')[i];
    if (!o || !v) return null;
    return { t: Date.parse(o.getAttribute('data-recording-time')), pos: v.currentTime, paused: v.paused };
  }, tile);
}

async function waitPlaying(page, tile = 0, timeout = 20000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    const s = await shown(page, tile);
    if (s && s.pos > 0.2 && !s.paused) return s;
    await sleep(100);
  }
  throw new Error(`tile ${tile} did not start playing`);
}

/** Clicks the timeline at recording time t (the view's bounds are its aria-valuemin/max). */
async function clickTimeline(page, t) {
  const svg = page.locator('[data-testid=timeline]');
  const box = await svg.boundingBox();
  const from = Number(await svg.getAttribute('aria-valuemin'));
  const to = Number(await svg.getAttribute('aria-valuemax'));
  await svg.click({ position: { x: ((t - from) / (to - from)) * box.width, y: box.height / 2 } });
}

/** The cameras that recorded something in [from, to) (from the query API). */
async function recordingIn(token, cameras, from, to) {
  const out = [];
  for (const id of cameras) {
    const q = await api(`/api/v1/cameras/${id}/recordings/query`, token,
      { startTime: new Date(from).toISOString(), endTime: new Date(to).toISOString() });
    if (q.json?.sequences?.length > 0) out.push(id);
  }
  return out;
}

/** The middle of the longest stretch of [from, to) that every camera recorded (from the query API). */
async function commonMoment(token, cameras, from, to) {
  let common = [{ from, to }];
  const seen = [];
  for (const id of cameras) {
    const q = await api(`/api/v1/cameras/${id}/recordings/query`, token,
      { startTime: new Date(from).toISOString(), endTime: new Date(to).toISOString() });
    if (!q.json?.sequences) throw new Error(`query of ${id}: ${q.status} ${JSON.stringify(q.json)}`);
    const runs = q.json.sequences.map((x) => ({ from: Date.parse(x.startTime), to: Date.parse(x.endTime) }));
    seen.push(runs.map((r) => `${new Date(r.from).toISOString().slice(11, 16)}-${new Date(r.to).toISOString().slice(11, 16)}`).join(' '));
    common = common.flatMap((c) => runs.map((r) => ({ from: Math.max(c.from, r.from), to: Math.min(c.to, r.to) })))
      .filter((c) => c.to - c.from > 0);
  }
  const best = common.sort((a, b) => (b.to - b.from) - (a.to - a.from))[0];
  if (!best) throw new Error(`the cameras ${cameras.join(', ')} recorded nothing at the same time in [${from}, ${to}): ${seen.join(' | ')}`);
  return { at: Math.round((best.from + best.to) / 2), lengthMs: best.to - best.from };
}

/** Clicks a range preset and waits until the timeline shows the new range (its answer came). */
async function choosePreset(page, preset) {
  const before = await page.locator('[data-testid=timeline]').getAttribute('aria-valuemin').catch(() => null);
  await page.click(`[data-testid=range-${preset}]`);
  await page.waitForFunction((b) => {
    const v = document.querySelector('[data-testid=timeline]')?.getAttribute('aria-valuemin');
    return v && v !== b;
  }, before, { timeout: 15000 });
}

/** The time the timeline says it last sought to. */
async function lastSeek(page) {
  return Date.parse(await page.locator('[data-testid=timeline]').getAttribute('data-last-seek'));
}

/** Waits until the player plays a stream at {@code speed} (its overlay's data-speed). */
async function waitSpeed(page, speed, tile = 0) {
  await page.waitForFunction(([s, i]) => document.querySelectorAll('[data-testid=player-time]')[i]
    ?.getAttribute('data-speed') === s, [String(speed), tile], { timeout: 20000 });
}

/** A moment 40 % into the longest recorded block the timeline shows. */
async function recordedMoment(page) {
  const blocks = await page.$$eval('[data-testid=timeline-block]', (els) => els.map((e) => ({
    from: Date.parse(e.getAttribute('data-from')), to: Date.parse(e.getAttribute('data-to')) })));
  const b = blocks.sort((x, y) => (y.to - y.from) - (x.to - x.from))[0];
  return Math.round(b.from + 0.4 * (b.to - b.from));
}

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => out.errors.push('pageerror:' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') out.errors.push('console:' + m.text()); });
  out.snapshots = [];
  page.on('response', (r) => { if (r.url().includes('/playback/snapshot')) out.snapshots.push(r.status()); });

  // Sign in.
  await page.goto(base + '/cameras', { waitUntil: 'networkidle' });
  await page.screenshot({ path: `${shots}/sign-in.png` });
  await page.fill('[data-testid=login-username]', 'admin');
  await page.fill('[data-testid=login-password]', adminPassword);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=who]');
  out.who = (await page.locator('[data-testid=who]').innerText()).replace(/\s+/g, ' ').trim();
  out.steps.push('signed in');

  // Discover, filter to recording cameras, select four and import them with a source and an Arabic name.
  await page.click('nav >> text=Discover');
  await page.waitForSelector('[data-testid=discovery-row]');
  await page.selectOption('label:has-text("Recording") select', 'true');
  await page.waitForTimeout(600);
  out.discoveryRows = await page.locator('[data-testid=discovery-row]').count();
  const boxes = page.locator('[data-testid=discovery-select]:not([disabled])');
  for (let i = 0; i < 5; i++) await boxes.nth(i).check();
  await page.selectOption('[data-testid=import-source]', 'METRO');
  await page.fill('[data-testid=import-name-ar]', 'كاميرا المحطة');
  await page.screenshot({ path: `${shots}/discover.png` });
  await page.click('[data-testid=import-selected]');
  await page.waitForSelector('[data-testid=toast]:has-text("5 camera(s) imported")', { timeout: 15000 });
  out.steps.push('imported 5');

  // Sync all: the progress bar reaches 100 %.
  await page.click('[data-testid=sync-all]');
  await page.waitForSelector('[data-testid=sync-progress]');
  await page.waitForFunction(() => document.querySelector('[data-testid=sync-status]')?.textContent?.includes('completed'),
    null, { timeout: 20000 });
  out.syncPercent = Number(await page.locator('[data-testid=sync-progress]').getAttribute('value'));

  // The cameras: four rows, the Arabic name right to left.
  await page.click('nav >> text=Cameras');
  await page.waitForSelector('[data-testid=camera-row]');
  out.cameraRows = await page.locator('[data-testid=camera-row]').count();
  out.arabicDir = await page.locator('[data-testid=camera-row] [lang=ar]').first().getAttribute('dir');
  await page.screenshot({ path: `${shots}/cameras.png` });
  const cameraIds = await page.$$eval('[data-testid=camera-row]', (rows) => rows.map((r) => r.getAttribute('data-camera-id')));

  // A camera's page: a 5-minute recording, its countdown moves, stop.
  await page.locator('[data-testid=camera-row]').first().click();
  await page.waitForSelector('[data-testid=record-start]');
  const cameraUrl = page.url().split('?')[0];
  const cameraId = cameraUrl.split('/').pop();
  await page.selectOption('[data-testid=record-duration]', '300');
  await page.click('[data-testid=record-start]');
  await page.waitForSelector('[data-testid=record-countdown]', { timeout: 10000 });
  const r1 = Number(await page.locator('[data-testid=record-countdown]').getAttribute('data-remaining-seconds'));
  await sleep(2500);
  const r2 = Number(await page.locator('[data-testid=record-countdown]').getAttribute('data-remaining-seconds'));
  await page.screenshot({ path: `${shots}/recording.png` });
  await page.reload({ waitUntil: 'networkidle' });
  await page.waitForSelector('[data-testid=record-countdown]', { timeout: 10000 });
  const r3 = Number(await page.locator('[data-testid=record-countdown]').getAttribute('data-remaining-seconds'));
  out.countdown = [r1, r2, r3];
  await page.click('[data-testid=record-stop]');
  await page.waitForSelector('[data-testid=record-countdown]', { state: 'detached', timeout: 10000 });
  out.stopped = true;

  // Another client starts one: it shows within 2 s (WebSocket event); then it stops it.
  const token = (await api('/api/v1/auth/login', null, { username: 'admin', password: adminPassword })).json.accessToken;
  const t0 = Date.now();
  const started = await api(`/api/v1/cameras/${cameraId}/recordings/start`, token, { duration: 300 });
  await page.waitForSelector('[data-testid=record-countdown]', { timeout: 5000 });
  out.otherClientStart = { status: started.status, shownAfterMs: Date.now() - t0 };
  await api(`/api/v1/cameras/${cameraId}/recordings/stop`, token, {});
  await page.waitForSelector('[data-testid=record-countdown]', { state: 'detached', timeout: 5000 });

  // Yesterday's timeline has gaps.
  await choosePreset(page, 'yesterday');
  await page.waitForSelector('[data-testid=timeline-gap]', { timeout: 15000 });
  out.gaps = await page.locator('[data-testid=timeline-gap]').count();
  out.coverage = await page.locator('[data-testid=coverage]').innerText();

  // Resting the pointer on a recorded part shows a snapshot of it.
  const clicked = await recordedMoment(page);
  {
    const svg = page.locator('[data-testid=timeline]');
    const box = await svg.boundingBox();
    const from = Number(await svg.getAttribute('aria-valuemin'));
    const to = Number(await svg.getAttribute('aria-valuemax'));
    await svg.hover({ position: { x: ((clicked - from) / (to - from)) * box.width, y: box.height / 2 } });
    out.thumbnail = await page.waitForSelector('[data-testid=timeline-thumbnail]', { timeout: 10000 })
      .then(() => true, () => false);
  }

  // Click the timeline: playback starts at the clicked time and advances.
  await clickTimeline(page, clicked);
  const sought = await lastSeek(page);
  await waitSpeed(page, 1);
  const first = await waitPlaying(page);
  await sleep(2000);
  const later = await shown(page);
  out.click = { offsetMs: first.t - sought, pixelErrorMs: sought - clicked, advancedMs: later.t - first.t,
    videoAdvancedS: later.pos - first.pos };
  await page.screenshot({ path: `${shots}/camera-playing.png` });

  // -2x: the recording time runs backward.
  await page.selectOption('[data-testid=speed-select]', '-2');
  await waitSpeed(page, -2);
  const back1 = await waitPlaying(page);
  await sleep(2500);
  const back2 = await shown(page);
  out.reverse = { deltaMs: back2.t - back1.t, videoAdvancedS: back2.pos - back1.pos };

  // The keyboard: space pauses, → steps one picture while paused, ] speeds up (-2x to -1x).
  await page.locator('.player').first().focus();
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('[data-testid=player-video]').paused);
  const p0 = await shown(page);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((x) => document.querySelector('[data-testid=player-video]').currentTime > x + 0.02, p0.pos);
  const p1 = await shown(page);
  await page.keyboard.press(']');
  await waitSpeed(page, -1);
  out.keyboard = { paused: p0.paused, stepS: p1.pos - p0.pos, speed: await page.locator('[data-testid=speed-select]').inputValue() };

  // The address follows what is shown; a deep link opens that moment at that speed.
  out.address = page.url();
  const deepT = clicked - 60_000;
  const deep = await context.newPage();
  deep.on('pageerror', (e) => out.errors.push('pageerror:' + e.message));
  await deep.goto(`${cameraUrl}?from=${new Date(clicked - 3_600_000).toISOString()}&to=${new Date(clicked + 3_600_000)
    .toISOString()}&t=${new Date(deepT).toISOString()}&speed=2`, { waitUntil: 'networkidle' });
  // A new tab has no session of its own (sessionStorage): the colleague signs in and lands on the moment.
  await deep.fill('[data-testid=login-username]', 'admin');
  await deep.fill('[data-testid=login-password]', adminPassword);
  await deep.click('[data-testid=login-submit]');
  await waitSpeed(deep, 2);
  const d1 = await waitPlaying(deep);
  out.deepLink = { offsetMs: d1.t - deepT, speed: await deep.locator('[data-testid=speed-select]').inputValue() };
  await deep.close();

  // Evidence export: a 10-minute range around the clicked moment, a drag across the timeline selects
  // part of it, Export writes it; the row completes, Verify checks signature and digest in the browser,
  // Download saves the MP4.
  {
    const local = (ms) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    const inputs = page.locator('.range-picker input[type=datetime-local]');
    const before = await page.locator('[data-testid=timeline]').getAttribute('aria-valuemin');
    await inputs.nth(0).fill(local(clicked - 300_000));
    await inputs.nth(1).fill(local(clicked + 300_000));
    await page.click('.range-picker button[type=submit]');
    await page.waitForFunction((b) => document.querySelector('[data-testid=timeline]')?.getAttribute('aria-valuemin') !== b,
      before, { timeout: 15000 });
    const svg = page.locator('[data-testid=timeline]');
    const box = await svg.boundingBox();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForSelector('[data-testid=timeline-selection]', { timeout: 5000 });
    out.exportSpan = await page.locator('[data-testid=export-span]').innerText();
    const rowsBefore = await page.locator('[data-testid=export-row]').count();
    await page.click('[data-testid=export-start]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=export-row]').length > n, rowsBefore,
      { timeout: 10000 });
    await page.waitForSelector('[data-testid=export-row][data-status=completed]', { timeout: 60000 });
    await page.click('[data-testid=export-row][data-status=completed] >> [data-testid=export-verify]');
    await page.waitForSelector('[data-testid=export-check][data-valid]', { timeout: 30000 });
    out.exportCheck = { valid: await page.locator('[data-testid=export-check]').getAttribute('data-valid'),
      text: await page.locator('[data-testid=export-check]').innerText() };
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }),
      page.click('[data-testid=export-row][data-status=completed] >> text=Download')]);
    out.exportDownload = download.suggestedFilename();
    const list = await api(`/api/v1/exports?camera=${cameraId}&status=completed`, token);
    const e = list.json.exports[0];
    out.exportRange = { startTime: e.startTime, endTime: e.endTime };
    await page.screenshot({ path: `${shots}/exports.png` });
  }

  // The wall: four cameras play one moment; their overlays agree.
  await page.click('nav >> text=Wall');
  await page.waitForSelector('[data-testid=wall-tile]');
  await page.waitForSelector('[data-testid=timeline]');
  // Four cameras that recorded yesterday, one per tile (picked in each tile's select).
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const dayFrom = midnight.getTime() - 86_400_000;
  const wallCameras = (await recordingIn(token, cameraIds, dayFrom, midnight.getTime())).slice(0, 4);
  for (let i = 0; i < 4; i++) {
    await page.locator('[data-testid=wall-tile]').nth(i).locator('[data-testid=wall-camera]').selectOption(wallCameras[i]);
  }
  await choosePreset(page, 'yesterday');
  await page.waitForSelector('[data-testid=timeline-block]');
  const svgWall = page.locator('[data-testid=timeline]');
  const common = await commonMoment(token, wallCameras, Number(await svgWall.getAttribute('aria-valuemin')),
    Number(await svgWall.getAttribute('aria-valuemax')));
  out.wallMoment = common;
  await clickTimeline(page, common.at);
  for (let i = 0; i < 4; i++) {
    await waitSpeed(page, 1, i);
    await waitPlaying(page, i, 30000);
  }
  await sleep(4000);
  const tiles = await Promise.all([0, 1, 2, 3].map((i) => shown(page, i)));
  out.wall = { spreadMs: Math.max(...tiles.map((x) => x.t)) - Math.min(...tiles.map((x) => x.t)),
    cameras: wallCameras.length, offsetMs: tiles[0].t - (await lastSeek(page)) };
  await page.screenshot({ path: `${shots}/wall.png` });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: `${shots}/wall-1920.png` });

  // Edit a camera's names, then delete another (confirming the dialog).
  await page.click('nav >> text=Cameras');
  await page.waitForSelector('[data-testid=camera-row]');
  await page.locator('[data-testid=camera-row]').first().locator('button:has-text("Edit")').click();
  await page.fill('.edit-row input[required]', 'Renamed in the dashboard');
  await page.fill('.edit-row input[lang=ar]', 'اسم جديد');
  await page.click('.edit-row button[type=submit]');
  await page.waitForSelector('[data-testid=camera-row]:has-text("Renamed in the dashboard")');
  page.once('dialog', (d) => d.accept());
  await page.locator('[data-testid=camera-row]').last().locator('button:has-text("Delete")').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=camera-row]').length === 4);
  out.edited = await page.locator('[data-testid=camera-row]:has-text("Renamed in the dashboard") [lang=ar]').innerText();
  out.rowsAfterDelete = await page.locator('[data-testid=camera-row]').count();

  // A viewer: no recording controls, no discovery.
  const viewer = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const vp = await viewer.newPage();
  vp.on('pageerror', (e) => out.errors.push('pageerror:' + e.message));
  await vp.goto(cameraUrl, { waitUntil: 'networkidle' });
  await vp.fill('[data-testid=login-username]', 'watcher');
  await vp.fill('[data-testid=login-password]', viewerPassword);
  await vp.click('[data-testid=login-submit]');
  await vp.waitForSelector('[data-testid=record-idle]');
  out.viewer = { recordStart: await vp.locator('[data-testid=record-start]').count(),
    discoverLink: await vp.locator('nav >> text=Discover').count() };
  await vp.screenshot({ path: `${shots}/viewer-camera.png` });
  await viewer.close();
} catch (e) {
  out.errors.push('script:' + e.message);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
