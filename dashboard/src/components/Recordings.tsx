import { useCallback, useEffect, useRef, useState } from 'react';
import { blob, get, type RecordingQuery, send, type Timeline as TimelineAnswer } from '../api/client';
import { message, useApp } from '../context';
import { duration, iso, PRESETS, presetRange, type Range, resolutionFor } from '../lib/time';
import { Timeline } from './Timeline';

/** A datetime-local input's value for a time (local), and back. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/**
 * What a camera recorded over a range: the range picker (presets and custom), the timeline (from the
 * timeline API), coverage and statistics (from the query API).
 */
export function Recordings({ cameraId, range, onRange, playhead, onSeek, selection, onSelect }: {
  cameraId: string; range: Range; onRange(r: Range): void; playhead: number | null; onSeek(t: number): void;
  selection?: Range | null; onSelect?(r: Range): void;
}) {
  const { session } = useApp();
  const [timeline, setTimeline] = useState<TimelineAnswer | null>(null);
  const [query, setQuery] = useState<RecordingQuery | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [from, setFrom] = useState(localInput(range.from));
  const [to, setTo] = useState(localInput(range.to));
  useEffect(() => {
    setFrom(localInput(range.from));
    setTo(localInput(range.to));
  }, [range]);

  useEffect(() => {
    let cancelled = false;
    const res = resolutionFor(range);
    const q = `startTime=${encodeURIComponent(iso(range.from))}&endTime=${encodeURIComponent(iso(range.to))}`;
    Promise.all([
      get<TimelineAnswer>(session, `/api/v1/cameras/${cameraId}/recordings/timeline?${q}&resolution=${res}`),
      send<RecordingQuery>(session, `/api/v1/cameras/${cameraId}/recordings/query`,
        { startTime: iso(range.from), endTime: iso(range.to) }),
    ]).then(([t, qa]) => {
      if (!cancelled) {
        setTimeline(t);
        setQuery(qa);
        setError(null);
      }
    }).catch((e: unknown) => !cancelled && setError(message(e)));
    return () => {
      cancelled = true;
    };
  }, [session, cameraId, range]);

  // Snapshots for the timeline's hover, only inside recorded sequences (elsewhere there is no picture).
  const urls = useRef<string[]>([]);
  useEffect(() => () => urls.current.forEach((u) => URL.revokeObjectURL(u)), []);
  const thumbnail = useCallback(async (t: number) => {
    const inside = query?.sequences.some((s) => Date.parse(s.startTime) <= t && t < Date.parse(s.endTime));
    if (!inside) {
      return null;
    }
    const r = await blob(session, `/api/v1/cameras/${cameraId}/playback/snapshot?time=${encodeURIComponent(iso(t))}`);
    const u = URL.createObjectURL(r.blob);
    urls.current.push(u);
    if (urls.current.length > 20) {
      URL.revokeObjectURL(urls.current.shift()!);
    }
    return u;
  }, [session, cameraId, query]);

  const step = timeline?.resolution === 'hour' ? 3_600_000 : timeline?.resolution === 'day' ? 86_400_000 : 60_000;
  return (
    <section className="recordings" aria-label="Recordings">
      <div className="range-picker" role="group" aria-label="Range">
        {PRESETS.map((p) => (
          <button type="button" key={p.id} data-testid={`range-${p.id}`} onClick={() => onRange(presetRange(p.id, Date.now()))}>
            {p.label}
          </button>
        ))}
        <form className="inline" onSubmit={(e) => {
          e.preventDefault();
          const f = new Date(from).getTime();
          const t = new Date(to).getTime();
          if (f < t) {
            onRange({ from: f, to: t });
          } else {
            setError('The range must end after it starts');
          }
        }}>
          <label className="inline">From<input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
          <label className="inline">To<input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} /></label>
          <button type="submit">Show</button>
        </form>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {timeline && <Timeline range={range} buckets={timeline.timeline} stepMs={step} playhead={playhead} onSeek={onSeek}
                              thumbnail={thumbnail} selection={selection} onSelect={onSelect} />}
      {query && (
        <dl className="stats" data-testid="recording-stats">
          <div><dt>Coverage</dt><dd data-testid="coverage">{(query.coverage * 100).toFixed(1)} %</dd></div>
          <div><dt>Recorded</dt><dd>{duration(query.totalRecordingSeconds)}</dd></div>
          <div><dt>Gaps</dt><dd>{query.gaps.length} ({duration(query.totalGapSeconds)})</dd></div>
          <div><dt>Sequences</dt><dd>{query.sequences.length}</dd></div>
        </dl>
      )}
    </section>
  );
}
