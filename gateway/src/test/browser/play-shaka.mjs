// Plays a gateway playlist with Shaka Player in Debian's headless Chromium and prints what it saw as
// one line of JSON: whether it took the playlist for live, its seek range, currentTime, the date at
// the playhead (getPlayheadTimeAsDate) and the recording time a page derives from the playlist (the
// segment at the playhead's PROGRAM-DATE-TIME + EXT-X-CNS-SPEED × its position) at the first and
// last sample, after an optional seek, and every error event. Usage: node play-shaka.mjs <gateway base URL> <playlist path> <seconds> [seek s]
import { launch, pageWith } from './browser.mjs';

const [base, playlist, seconds, seekBy] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await pageWith(browser, base, 'shaka-player/dist/shaka-player.compiled.js');
  const result = await page.evaluate(async ({ playlist, seconds, seekBy }) => {
    shaka.polyfill.installAll();
    const video = document.createElement('video');
    video.muted = true;
    document.body.appendChild(video);
    const errors = [];
    const player = new shaka.Player();
    await player.attach(video);
    player.addEventListener('error', (e) => errors.push(String(e.detail && e.detail.code)));
    const timeout = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const text = await (await fetch(playlist)).text();
    const tag = text.match(/^#EXT-X-CNS-SPEED:(-?[0-9.]+)$/m);
    const speed = tag ? Number(tag[1]) : 1;
    const segments = [];
    let pdt = null;
    let at = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
        pdt = Date.parse(line.substring(25));
      } else if (line.startsWith('#EXTINF:')) {
        const d = Number(line.substring(8).split(',')[0]);
        segments.push({ start: at, pdt });
        at += d;
      }
    }
    const recording = (t) => {
      let s = null;
      for (const x of segments) {
        if (x.start <= t) {
          s = x;
        }
      }
      return s ? s.pdt + speed * (t - s.start) * 1000 : null;
    };
    const sample = () => ({ currentTime: video.currentTime, recording: recording(video.currentTime),
      date: player.getPlayheadTimeAsDate() ? player.getPlayheadTimeAsDate().getTime() : null });
    try {
      await player.load(playlist);
    } catch (e) {
      errors.push('load:' + (e.code || e.message));
      return { errors };
    }
    const playing = new Promise((resolve) => video.addEventListener('playing', resolve, { once: true }));
    video.play().catch((e) => errors.push('play:' + e.message));
    await Promise.race([playing, timeout(20000)]);
    const range = player.seekRange();
    const first = sample();
    let deadline = Date.now() + 30000;
    while (video.currentTime - first.currentTime < seconds && Date.now() < deadline) {
      await timeout(200);
    }
    const last = sample();
    let seeked = null;
    if (seekBy) {
      const target = video.currentTime + Number(seekBy);
      video.currentTime = target;
      await new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
      deadline = Date.now() + 10000;
      while (video.currentTime < target + 1 && Date.now() < deadline) {
        await timeout(100);
      }
      seeked = sample();
    }
    return { live: player.isLive(), speed, range, first, last, seeked, errors };
  }, { playlist, seconds: Number(seconds), seekBy: seekBy || null });
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
