// Plays a gateway playlist with hls.js in Debian's headless Chromium and prints what the player saw
// as one line of JSON: how far currentTime advanced, hls.playingDate at the first and last sample,
// the recording time derived from the playlist as a page would (the current fragment's
// PROGRAM-DATE-TIME + speed × its position, the speed read from the playlist's EXT-X-CNS-SPEED tag),
// and every hls.js error event. Usage: node play-hls.mjs <gateway base URL> <playlist path> <seconds>
import { launch, pageWith } from './browser.mjs';

const [base, playlist, seconds] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await pageWith(browser, base, 'hls.js/dist/hls.min.js');
  const result = await page.evaluate(async ({ playlist, seconds }) => {
    const video = document.createElement('video');
    video.muted = true;
    document.body.appendChild(video);
    const errors = [];
    const text = await (await fetch(playlist)).text();
    const tag = text.match(/^#EXT-X-CNS-SPEED:(-?[0-9.]+)$/m);
    const speed = tag ? Number(tag[1]) : 1;
    let frag = null;
    const hls = new Hls();
    hls.on(Hls.Events.FRAG_CHANGED, (event, data) => { frag = data.frag; });
    const recording = () => frag && frag.programDateTime !== null
      ? frag.programDateTime + speed * (video.currentTime - frag.start) * 1000 : null;
    hls.on(Hls.Events.ERROR, (event, data) => errors.push(data.type + ':' + data.details + (data.fatal ? ':fatal' : '')));
    const playing = new Promise((resolve) => video.addEventListener('playing', resolve, { once: true }));
    hls.loadSource(playlist);
    hls.attachMedia(video);
    hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch((e) => errors.push('play:' + e.message)));
    const timeout = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    await Promise.race([playing, timeout(20000)]);
    // FRAG_CHANGED may come just after 'playing': the first sample waits for it (a second at most).
    for (let i = 0; i < 10 && frag === null; i++) {
      await timeout(100);
    }
    const sample = () => ({ currentTime: video.currentTime,
      playingDate: hls.playingDate ? hls.playingDate.getTime() : null, recording: recording() });
    const first = sample();
    const deadline = Date.now() + 30000;
    while (video.currentTime - first.currentTime < seconds && Date.now() < deadline) {
      await timeout(200);
    }
    const last = sample();
    return { first, last, errors, speed, mse: MediaSource.isTypeSupported('video/mp4; codecs="avc1.42c01e"') };
  }, { playlist, seconds: Number(seconds) });
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
