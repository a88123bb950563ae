import { useCallback, useEffect, useRef, useState } from 'react';
import { type CameraPage as Page, get } from '../api/client';
import { Player, type PlayerHandle } from '../components/Player';
import { Recordings } from '../components/Recordings';
import { message, useApp } from '../context';
import { clock, presetRange, type Range, type Speed } from '../lib/time';

const LAYOUTS = { '2x2': 4, '3x3': 9 } as const;
type Layout = keyof typeof LAYOUTS;

/**
 * The camera wall: a 2×2 or 3×3 grid of chosen cameras playing one recording moment at one speed. The
 * first tile leads; twice a second every other tile's recording time is compared with it, and a tile
 * more than 30 ms off plays a little faster or slower until it is back (more than 2 s off, it alone
 * reloads at the leader's moment, at most every 5 s). A camera that recorded nothing at that moment holds
 * still with a note rather than show another moment. One timeline (the first camera's) seeks them all.
 */
export function Wall() {
  const { session } = useApp();
  const [layout, setLayout] = useState<Layout>('2x2');
  const [cameras, setCameras] = useState<Page['cameras']>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [range, setRange] = useState<Range>(() => presetRange('last-hour', Date.now()));
  const [speed, setSpeed] = useState<Speed>(1);
  const [starts, setStarts] = useState<({ t: number; key: number } | null)[]>([]);
  const [shown, setShown] = useState<number | null>(null);
  const [spread, setSpread] = useState<number | null>(null);
  const handles = useRef<(PlayerHandle | null)[]>([]);
  const resynced = useRef<number[]>([]);
  const keys = useRef(0);

  useEffect(() => {
    get<Page>(session, '/api/v1/cameras?limit=100').then((p) => {
      setCameras(p.cameras);
      setChosen((c) => (c.length > 0 ? c : p.cameras.slice(0, 4).map((x) => x.id)));
    }).catch((e: unknown) => setError(message(e)));
  }, [session]);

  const seek = useCallback((t: number) => {
    const key = ++keys.current;
    setStarts(Array.from({ length: 9 }, () => ({ t, key })));
  }, []);
  /** Reloads one tile at {@code t} (at most once in five seconds, so a tile whose camera has a gap there settles). */
  const resync = useCallback((i: number, t: number) => {
    if (Date.now() - (resynced.current[i] ?? 0) < 5000) {
      return;
    }
    resynced.current[i] = Date.now();
    const key = ++keys.current;
    setStarts((s) => s.map((x, j) => (j === i ? { t, key } : x)));
  }, []);
  const changeSpeed = useCallback((s: Speed) => {
    setSpeed(s);
    const t = handles.current[0]?.recordingTime();
    if (t !== null && t !== undefined) {
      seek(t);
    }
  }, [seek]);

  // Keep the tiles on the leader's recording time.
  useEffect(() => {
    const timer = setInterval(() => {
      const lead = handles.current[0]?.recordingTime();
      if (lead === null || lead === undefined) {
        return;
      }
      let worst = 0;
      handles.current.slice(1, LAYOUTS[layout]).forEach((h, k) => {
        const t = h?.recordingTime();
        const v = h?.video();
        if (t === null || t === undefined || !v) {
          return;
        }
        const ahead = (t - lead) * Math.sign(speed); // ms of recording this tile is ahead in playing order
        worst = Math.max(worst, Math.abs(t - lead));
        if (Math.abs(ahead) > 2000) {
          v.playbackRate = 1;
          resync(k + 1, lead);
        } else if (Math.abs(ahead) > 30) {
          // Catch up within about a second: the rate that makes up the difference in video time.
          v.playbackRate = Math.max(0.5, Math.min(1.5, 1 - ahead / (Math.abs(speed) * 1000)));
        } else {
          v.playbackRate = 1;
        }
      });
      setSpread(worst);
    }, 500);
    return () => clearInterval(timer);
  }, [layout, speed, resync]);

  const tiles = LAYOUTS[layout];
  return (
    <section className="wall-page">
      <div className="section-head">
        <h2>Camera wall</h2>
        <label className="inline">Layout
          <select value={layout} onChange={(e) => setLayout(e.target.value as Layout)} data-testid="wall-layout">
            <option value="2x2">2×2</option>
            <option value="3x3">3×3</option>
          </select>
        </label>
        <span className="muted" data-testid="wall-spread">
          {shown !== null ? `${clock(shown)} · ${speed}x` : 'Click the timeline to play'}
          {spread !== null && ` · tiles within ${Math.round(spread)} ms`}
        </span>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <div className={`wall wall-${layout}`}>
        {Array.from({ length: tiles }, (_, i) => (
          <div className="tile" key={i} data-testid="wall-tile">
            <label className="inline">Tile {i + 1}
              <select data-testid="wall-camera" value={chosen[i] ?? ''} onChange={(e) => setChosen((c) => {
                const n = [...c];
                n[i] = e.target.value;
                return n;
              })}>
                <option value="">none</option>
                {cameras.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            </label>
            {chosen[i] ? (
              <Player cameraId={chosen[i]} start={starts[i] ?? null} speed={speed} onSpeed={changeSpeed} onSeek={seek} compact
                      holdIfAbsent
                      onTime={i === 0 ? setShown : undefined}
                      handle={(h) => { handles.current[i] = h; }} />
            ) : <div className="player-empty">No camera</div>}
          </div>
        ))}
      </div>
      {chosen[0] && <Recordings cameraId={chosen[0]} range={range} onRange={setRange} playhead={shown} onSeek={seek} />}
    </section>
  );
}
