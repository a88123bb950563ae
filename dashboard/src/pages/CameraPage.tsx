import { useCallback, useEffect, useRef, useState } from 'react';
import { NavLink, useLocation, useParams } from 'react-router';
import { type Camera, get } from '../api/client';
import { Exports } from '../components/Exports';
import { Player } from '../components/Player';
import { RecordingControl } from '../components/RecordingControl';
import { Recordings } from '../components/Recordings';
import { message, useApp } from '../context';
import { formatView, parseView, presetRange, type Range, type Speed } from '../lib/time';

/**
 * One camera: manual recording, its recordings over a range, the player, and evidence exports of a span
 * selected on the timeline. The address holds the range,
 * the moment and the speed ({@code ?from&to&t&speed}): opening it plays that moment at that speed, and
 * it follows what is shown, so an operator can send a colleague the exact moment.
 */
export function CameraPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const { session } = useApp();
  const initial = useRef(parseView(location.search));
  const [camera, setCamera] = useState<Camera | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [range, setRange] = useState<Range>(() => initial.current.range
    ?? (initial.current.t !== undefined ? { from: initial.current.t - 1_800_000, to: initial.current.t + 1_800_000 }
      : presetRange('last-hour', Date.now())));
  const [speed, setSpeed] = useState<Speed>(initial.current.speed);
  const [start, setStart] = useState<{ t: number; key: number } | null>(
    initial.current.t !== undefined ? { t: initial.current.t, key: 0 } : null);
  const [shown, setShown] = useState<number | null>(null);
  const [selection, setSelection] = useState<Range | null>(null);
  useEffect(() => setSelection(null), [range]);
  const shownRef = useRef<number | null>(null);

  useEffect(() => {
    get<Camera>(session, `/api/v1/cameras/${id}`).then(setCamera).catch((e: unknown) => setError(message(e)));
  }, [session, id]);

  // The address bar follows what is shown (at most once a second while playing).
  const lastWrite = useRef(0);
  const writeAddress = useCallback((t: number | undefined, force = false) => {
    if (!force && Date.now() - lastWrite.current < 1000) {
      return;
    }
    lastWrite.current = Date.now();
    window.history.replaceState(window.history.state, '', `/cameras/${id}${formatView({ range, t, speed })}`);
  }, [id, range, speed]);
  useEffect(() => writeAddress(shownRef.current ?? start?.t, true), [range, speed, start, writeAddress]);

  const seek = useCallback((t: number) => setStart((s) => ({ t, key: (s?.key ?? 0) + 1 })), []);
  const changeSpeed = useCallback((s: Speed) => {
    setSpeed(s);
    const t = shownRef.current ?? start?.t;
    if (t !== undefined) {
      seek(t);
    }
  }, [seek, start]);
  const onTime = useCallback((t: number) => {
    shownRef.current = t;
    setShown(t);
    writeAddress(t);
  }, [writeAddress]);

  if (error) {
    return <p className="error" role="alert">{error} <NavLink to="/cameras">Back to the cameras</NavLink></p>;
  }
  return (
    <section className="camera-page">
      <div className="section-head">
        <h2>
          {camera?.name ?? '…'}
          {camera?.nameAr && <span dir="rtl" lang="ar" className="ar"> {camera.nameAr}</span>}
        </h2>
        {camera && <span className={`badge badge-${camera.status}`}>{camera.status}</span>}
      </div>
      <div className="camera-grid">
        <Player cameraId={id} start={start} speed={speed} onSpeed={changeSpeed} onSeek={seek} onTime={onTime} />
        <RecordingControl cameraId={id} />
      </div>
      <Recordings cameraId={id} range={range} onRange={setRange} playhead={shown} onSeek={seek}
                  selection={selection} onSelect={setSelection} />
      <Exports cameraId={id} selection={selection} range={range} />
    </section>
  );
}
