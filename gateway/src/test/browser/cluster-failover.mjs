// Plays a signed playlist through nginx with hls.js in Debian's headless Chromium while the test kills
// the gateway instance serving it. Prints "playing" once the video plays (the test then kills the
// instance), then, after `seconds` more of wall time, one line of JSON: how far currentTime advanced
// after that point, the longest time it stood still, and every hls.js error event (fatal ones marked).
// Usage: node cluster-failover.mjs <nginx base URL> <playlist path> <seconds>
import { launch, pageWith } from './browser.mjs';

const [base, playlist, seconds] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await pageWith(browser, base, 'hls.js/dist/hls.min.js');
  await page.evaluate(async (playlist) => {
    const video = document.createElement('video');
    video.muted = true;
    document.body.appendChild(video);
    window.errors = [];
    const hls = new Hls();
    hls.on(Hls.Events.ERROR, (event, data) =>
      window.errors.push(data.type + ':' + data.details + (data.fatal ? ':fatal' : '')));
    const playing = new Promise((resolve) => video.addEventListener('playing', resolve, { once: true }));
    hls.loadSource(playlist);
    hls.attachMedia(video);
    hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch((e) => window.errors.push('play:' + e.message)));
    await Promise.race([playing, new Promise((resolve) => setTimeout(resolve, 20000))]);
    window.video = video;
  }, playlist);
  const start = await page.evaluate(() => window.video.currentTime);
  console.log('playing');
  const result = await page.evaluate(async (seconds) => {
    const video = window.video;
    const first = video.currentTime;
    let last = first;
    let lastMoved = Date.now();
    let longestStill = 0;
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (video.currentTime !== last) {
        last = video.currentTime;
        lastMoved = Date.now();
      }
      longestStill = Math.max(longestStill, Date.now() - lastMoved);
    }
    return { advanced: video.currentTime - first, longestStillMs: longestStill, errors: window.errors };
  }, Number(seconds));
  console.log(JSON.stringify({ startedAt: start, ...result }));
} finally {
  await browser.close();
}
