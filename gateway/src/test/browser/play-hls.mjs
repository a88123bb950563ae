// Plays a gateway playlist with hls.js in Debian's headless Chromium and prints what the player saw
// as one line of JSON: how far currentTime advanced, hls.playingDate at the first and last sample,
// and every hls.js error event. Usage: node play-hls.mjs <gateway base URL> <playlist path> <seconds>
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const [base, playlist, seconds] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--autoplay-policy=no-user-gesture-required'],
});
try {
  const page = await browser.newPage();
  // A page of the gateway's own origin, so hls.js fetches the playlist without CORS.
  await page.goto(base + '/health/live');
  await page.addScriptTag({ path: path.join(here, 'node_modules/hls.js/dist/hls.min.js') });
  const result = await page.evaluate(async ({ playlist, seconds }) => {
    const video = document.createElement('video');
    video.muted = true;
    document.body.appendChild(video);
    const errors = [];
    const hls = new Hls();
    hls.on(Hls.Events.ERROR, (event, data) => errors.push(data.type + ':' + data.details + (data.fatal ? ':fatal' : '')));
    const playing = new Promise((resolve) => video.addEventListener('playing', resolve, { once: true }));
    hls.loadSource(playlist);
    hls.attachMedia(video);
    hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch((e) => errors.push('play:' + e.message)));
    const timeout = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    await Promise.race([playing, timeout(20000)]);
    const first = { currentTime: video.currentTime, playingDate: hls.playingDate ? hls.playingDate.getTime() : null };
    const deadline = Date.now() + 30000;
    while (video.currentTime - first.currentTime < seconds && Date.now() < deadline) {
      await timeout(200);
    }
    const last = { currentTime: video.currentTime, playingDate: hls.playingDate ? hls.playingDate.getTime() : null };
    return { first, last, errors, mse: MediaSource.isTypeSupported('video/mp4; codecs="avc1.42c01e"') };
  }, { playlist, seconds: Number(seconds) });
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
