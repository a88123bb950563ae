import Hls, { type Fragment } from 'hls.js';
import { useCallback, useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { ApiFailure, blob, type PlaybackControl, send } from '../api/client';
import { message, useApp } from '../context';
import { clock, iso, recordingTimeAt, SPEEDS, type Speed, stepSpeed } from '../lib/time';

/** What a wall drives on a player: its recording time and its video's rate. */
export interface PlayerHandle {
  recordingTime(): number | null;
  video(): HTMLVideoElement | null;
}

export interface PlayerProps {
  cameraId: string;
  /** The moment to play (a change reloads there); null shows nothing yet. */
  start: { t: number; key: number } | null;
  speed: Speed;
  onSpeed(s: Speed): void;
  /** Seek elsewhere (jumps): the parent moves {@code start}. */
  onSeek(t: number): void;
  /** The recording time on screen, about four times a second. */
  onTime?(t: number): void;
  compact?: boolean;
  /**
   * On a wall: when the camera recorded nothing at the moment asked (its playlist starts later, or
   * earlier going back), hold still with a note instead of playing another moment.
   */
  holdIfAbsent?: boolean;
  handle?: Ref<PlayerHandle>;
}

const FRAME_S = 0.04; // the gateway's output runs at 25 pictures a second at every speed

/**
 * The player: hls.js on the gateway's signed playlist of a moment at a speed (the control API plans it
 * first, so an error is a clear message before the player loads anything). The overlay shows the
 * recording time of the picture on screen, from the playing fragment's date and the speed, never from
 * the pipeline's clock. Keyboard: space plays and pauses, ←/→ step a picture when paused (jump 10 s
 * when playing, a minute with Shift), [ and ] change speed, F is fullscreen.
 */
export function Player({ cameraId, start, speed, onSpeed, onSeek, onTime, compact, holdIfAbsent, handle }: PlayerProps) {
  const { session } = useApp();
  const video = useRef<HTMLVideoElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const hls = useRef<Hls | null>(null);
  const frag = useRef<Fragment | null>(null);
  const last = useRef<{ rec: number; pos: number } | null>(null);
  const [shown, setShown] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [paused, setPaused] = useState(true);
  const [playing, setPlaying] = useState<{ speed: Speed; key: number } | null>(null);
  const [absent, setAbsent] = useState(false);
  const retry = useRef<ReturnType<typeof setTimeout> | null>(null);

  const current = useCallback((): number | null => {
    const f = frag.current;
    const v = video.current;
    if (!f || !v || f.programDateTime === null) {
      return null;
    }
    return recordingTimeAt(f.programDateTime, f.start, v.currentTime, speed);
  }, [speed]);
  useImperativeHandle(handle, () => ({ recordingTime: () => (absent ? null : current()), video: () => video.current }),
    [current, absent]);

  // Load the moment: plan it with the control API, then hand hls.js the signed playlist.
  useEffect(() => {
    if (!start || !video.current) {
      return;
    }
    let cancelled = false;
    const v = video.current;
    frag.current = null; // the overlay holds its last time until the new playlist plays
    const load = async () => {
      try {
        const c = await send<PlaybackControl>(session, `/api/v1/cameras/${cameraId}/playback/control`,
          { action: 'play', timestamp: iso(start.t), speed });
        if (cancelled) {
          return;
        }
        setNotice(null);
        hls.current?.destroy();
        frag.current = null;
        last.current = null;
        const h = new Hls({ maxBufferLength: 12, backBufferLength: 30 });
        hls.current = h;
        h.on(Hls.Events.FRAG_CHANGED, (_e, d) => {
          frag.current = d.frag;
        });
        h.on(Hls.Events.ERROR, (_e, d) => {
          const status = d.response?.code;
          if (status === 503) {
            setNotice('The recording server is unavailable; retrying…');
          }
          if (d.fatal) {
            setNotice(status === 503 ? 'The recording server is unavailable; retrying in 3 s…'
              : `Playback stopped: ${d.details}`);
            h.destroy();
            retry.current = setTimeout(() => void load(), 3000);
          }
        });
        h.loadSource(c.playlistUrl);
        h.attachMedia(v);
        setAbsent(false);
        h.once(Hls.Events.FRAG_CHANGED, (_e, d) => {
          setPlaying({ speed, key: start.key });
          const first = d.frag.programDateTime === null ? null
            : recordingTimeAt(d.frag.programDateTime, d.frag.start, v.currentTime, speed);
          if (holdIfAbsent && first !== null && Math.abs(first - start.t) > 2000) {
            v.pause();
            setAbsent(true);
            setNotice(`Nothing recorded at ${clock(start.t)}; recording ${speed > 0 ? 'resumes' : 'ends'} at ${clock(first)}`);
          }
        });
        v.play().catch(() => setPaused(true));
      } catch (e) {
        if (cancelled) {
          return;
        }
        if (e instanceof ApiFailure && e.status === 503) {
          setNotice('The recording server is unavailable; retrying in 3 s…');
          retry.current = setTimeout(() => void load(), 3000);
        } else if (e instanceof ApiFailure && e.status === 404) {
          setNotice(`Nothing is recorded at or after ${clock(start.t)}${speed < 0 ? ' going back' : ''}.`);
        } else {
          setNotice(message(e));
        }
      }
    };
    void load();
    return () => {
      cancelled = true;
      if (retry.current) {
        clearTimeout(retry.current);
      }
    };
  }, [cameraId, start, speed, session, holdIfAbsent]);
  useEffect(() => () => hls.current?.destroy(), []);

  // The overlay: the recording time of the picture on screen, and a note when playback crossed a gap.
  useEffect(() => {
    const timer = setInterval(() => {
      const v = video.current;
      const t = current();
      if (t === null || !v) {
        return;
      }
      const prev = last.current;
      if (prev && !v.paused && Math.abs(t - prev.rec - speed * (v.currentTime - prev.pos) * 1000) > 1500) {
        setNotice(`Skipped a gap in the recording: ${clock(prev.rec)} → ${clock(t)}`);
        setTimeout(() => setNotice((n) => (n?.startsWith('Skipped a gap') ? null : n)), 6000);
      }
      last.current = { rec: t, pos: v.currentTime };
      setShown(t);
      onTime?.(t);
    }, 250);
    return () => clearInterval(timer);
  }, [current, speed, onTime]);

  function toggle() {
    const v = video.current;
    if (!v) {
      return;
    }
    if (v.paused) {
      void v.play();
    } else {
      v.pause();
    }
  }

  function step(dir: 1 | -1) {
    const v = video.current;
    if (v && v.paused) {
      v.currentTime = Math.max(0, v.currentTime + dir * FRAME_S);
    }
  }

  function jump(ms: number) {
    const t = current() ?? start?.t;
    if (t !== undefined && t !== null) {
      onSeek(t + ms);
    }
  }

  async function snapshot() {
    const t = current();
    if (t === null) {
      return;
    }
    try {
      const r = await blob(session, `/api/v1/cameras/${cameraId}/playback/snapshot?time=${encodeURIComponent(iso(t))}`);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(r.blob);
      a.download = `camera-${cameraId}-${(r.headers.get('X-Recording-Time') ?? iso(t)).replace(/:/g, '-')}.jpg`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      setNotice(`Snapshot: ${message(e)}`);
    }
  }

  function onKey(e: React.KeyboardEvent) {
    if (e.target instanceof HTMLSelectElement || e.target instanceof HTMLInputElement) {
      return;
    }
    const v = video.current;
    switch (e.key) {
      case ' ':
        toggle();
        break;
      case 'ArrowLeft':
      case 'ArrowRight': {
        const dir = e.key === 'ArrowLeft' ? -1 : 1;
        if (v?.paused) {
          step(dir);
        } else {
          jump(dir * (e.shiftKey ? 60_000 : 10_000));
        }
        break;
      }
      case '[':
      case ']':
        onSpeed(stepSpeed(speed, e.key === ']'));
        break;
      case 'f':
      case 'F':
        void (document.fullscreenElement ? document.exitFullscreen() : box.current?.requestFullscreen());
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  return (
    <div className={`player${compact ? ' compact' : ''}`} ref={box} tabIndex={0} onKeyDown={onKey}
         aria-label="Player (space, arrows, [ ], F)">
      <div className="screen">
        <video ref={video} data-testid="player-video" muted playsInline onPlay={() => setPaused(false)}
               onPause={() => setPaused(true)} onEnded={() => setNotice('End of the recording.')} />
        {shown !== null && (
          <div className="overlay" data-testid="player-time" data-recording-time={iso(shown)}
               data-speed={playing?.speed} data-start-key={playing?.key} data-absent={absent || undefined}>
            {clock(shown)} · {speed}x
          </div>
        )}
        {notice && <div className="notice player-notice" role="status" data-testid="player-notice">{notice}</div>}
        {!start && <div className="player-empty">Click the timeline to play a moment.</div>}
      </div>
      <div className="controls">
        <button type="button" onClick={toggle} aria-label={paused ? 'Play' : 'Pause'}>{paused ? '▶' : '❚❚'}</button>
        {!compact && (
          <>
            <button type="button" onClick={() => jump(-60_000)} aria-label="Back one minute">−1m</button>
            <button type="button" onClick={() => jump(-10_000)} aria-label="Back ten seconds">−10s</button>
            <button type="button" onClick={() => step(-1)} disabled={!paused} aria-label="Previous picture">◀︎|</button>
            <button type="button" onClick={() => step(1)} disabled={!paused} aria-label="Next picture">|▶︎</button>
            <button type="button" onClick={() => jump(10_000)} aria-label="Forward ten seconds">+10s</button>
            <button type="button" onClick={() => jump(60_000)} aria-label="Forward one minute">+1m</button>
          </>
        )}
        <label className="inline">Speed
          <select data-testid="speed-select" value={speed} onChange={(e) => onSpeed(Number(e.target.value) as Speed)}>
            {SPEEDS.map((s) => <option key={s} value={s}>{s}x</option>)}
          </select>
        </label>
        {!compact && (
          <>
            <button type="button" onClick={() => void snapshot()} aria-label="Download a snapshot of the picture shown">
              Snapshot
            </button>
            <button type="button" onClick={() => void box.current?.requestFullscreen()} aria-label="Fullscreen">Full screen</button>
          </>
        )}
      </div>
    </div>
  );
}
