import { useEffect, useMemo, useRef, useState } from 'react';
import type { TimelineBucket } from '../api/client';
import { clock, type Range } from '../lib/time';
import { blocks, ticks, timeAt, viewWindow, xOf, ZOOMS } from '../lib/timeline';

const W = 1000;
const H = 56;

export interface TimelineProps {
  range: Range;
  buckets: TimelineBucket[];
  stepMs: number;
  playhead: number | null;
  onSeek(t: number): void;
  /** A picture of the recording at a time (an object URL), or null where nothing is recorded. */
  thumbnail?(t: number): Promise<string | null>;
  /** The span selected (for an export), drawn over the blocks. */
  selection?: Range | null;
  /** A drag across the timeline selects the span it covers (a click still seeks). */
  onSelect?(r: Range): void;
}

/**
 * The recordings of a range as an SVG: recorded blocks green (lighter where partly recorded), gaps
 * grey, hour and minute marks, a zoom of 1x to 8x (buttons and the wheel) around the playhead or the
 * pointer, a tooltip with the time under the pointer, a click seeks there, a drag selects a span, the
 * playhead follows the video. Keyboard: ←/→ move a tenth of the view, Enter plays there, + and − zoom.
 */
export function Timeline({ range, buckets, stepMs, playhead, onSeek, thumbnail, selection, onSelect }: TimelineProps) {
  // A drag: where the button went down (client x and time), and the span it covers once it moved.
  const drag = useRef<{ x: number; t: number; moved: boolean } | null>(null);
  const [dragged, setDragged] = useState<Range | null>(null);
  const [zoom, setZoom] = useState(1);
  const [centre, setCentre] = useState((range.from + range.to) / 2);
  const [hover, setHover] = useState<number | null>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const [sought, setSought] = useState<number | null>(null);
  const seekTo = (t: number) => {
    setSought(t);
    onSeek(t);
  };
  const svg = useRef<SVGSVGElement>(null);
  const [thumb, setThumb] = useState<string | null>(null);
  // A snapshot of the time under the pointer once it rests there (one request per rest, not per move).
  useEffect(() => {
    if (hover === null || !thumbnail) {
      setThumb(null);
      return;
    }
    let cancelled = false;
    const t = setTimeout(() => {
      thumbnail(hover).then((u) => !cancelled && setThumb(u)).catch(() => !cancelled && setThumb(null));
    }, 400);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [hover, thumbnail]);
  useEffect(() => {
    setZoom(1);
    setCentre((range.from + range.to) / 2);
  }, [range.from, range.to]);
  const view = viewWindow(range, zoom, zoom === 1 ? (range.from + range.to) / 2 : centre);
  const shapes = useMemo(() => blocks(buckets, stepMs, range), [buckets, stepMs, range]);

  function timeOf(clientX: number): number {
    const r = svg.current!.getBoundingClientRect();
    return timeAt(((clientX - r.left) / r.width) * W, view, W);
  }
  function zoomTo(z: number, around: number) {
    setZoom(Math.max(ZOOMS[0], Math.min(ZOOMS[ZOOMS.length - 1], z)));
    setCentre(around);
  }

  // The wheel zooms the timeline, not the page: a native listener, since React's is passive.
  useEffect(() => {
    const el = svg.current;
    if (!el) {
      return;
    }
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      zoomTo(e.deltaY < 0 ? zoom * 2 : zoom / 2, timeOf(e.clientX));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  });

  const marks = ticks(view);
  const visible = shapes.filter((b) => b.to > view.from && b.from < view.to);
  const x = (t: number) => Math.max(0, Math.min(W, xOf(t, view, W)));
  return (
    <div className="timeline">
      <div className="timeline-tools">
        <button type="button" aria-label="Zoom out" onClick={() => zoomTo(zoom / 2, playhead ?? centre)} disabled={zoom <= 1}>−</button>
        <span data-testid="timeline-zoom">{zoom}x</span>
        <button type="button" aria-label="Zoom in" onClick={() => zoomTo(zoom * 2, playhead ?? centre)} disabled={zoom >= 8}>+</button>
        <span className="muted">{clock(view.from)} – {clock(view.to)}</span>
      </div>
      <svg ref={svg} data-testid="timeline" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="slider"
           tabIndex={0} aria-label="Recording timeline: click or Enter to play that time"
           aria-valuemin={view.from} aria-valuemax={view.to} aria-valuenow={cursor ?? playhead ?? view.from}
           aria-valuetext={clock(cursor ?? playhead ?? view.from)}
           onMouseDown={(e) => {
             drag.current = onSelect ? { x: e.clientX, t: timeOf(e.clientX), moved: false } : null;
           }}
           onMouseMove={(e) => {
             setHover(timeOf(e.clientX));
             const d = drag.current;
             if (d && (d.moved || Math.abs(e.clientX - d.x) > 4)) {
               d.moved = true;
               const t = timeOf(e.clientX);
               setDragged({ from: Math.max(range.from, Math.min(d.t, t)), to: Math.min(range.to, Math.max(d.t, t)) });
             }
           }}
           onMouseLeave={() => setHover(null)}
           onMouseUp={() => {
             if (drag.current?.moved && dragged && onSelect) {
               onSelect(dragged);
             }
           }}
           onClick={(e) => {
             const wasDrag = drag.current?.moved;
             drag.current = null;
             setDragged(null);
             if (!wasDrag) {
               seekTo(timeOf(e.clientX));
             }
           }}
           data-last-seek={sought === null ? undefined : new Date(sought).toISOString()}
           onKeyDown={(e) => {
             const at = cursor ?? playhead ?? (view.from + view.to) / 2;
             const step = (view.to - view.from) / 10;
             if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
               setCursor(Math.max(range.from, Math.min(range.to, at + (e.key === 'ArrowLeft' ? -step : step))));
             } else if (e.key === 'Enter') {
               seekTo(at);
             } else if (e.key === '+' || e.key === '-') {
               zoomTo(e.key === '+' ? zoom * 2 : zoom / 2, at);
             } else {
               return;
             }
             e.preventDefault();
           }}>
        <rect x={0} y={16} width={W} height={24} className="tl-none" />
        {visible.map((b) => (
          <rect key={`${b.from}-${b.recorded}`} x={x(b.from)} y={16} width={Math.max(0.5, x(b.to) - x(b.from))} height={24}
                className={b.recorded ? 'tl-recorded' : 'tl-gap'} data-testid={b.recorded ? 'timeline-block' : 'timeline-gap'}
                data-from={new Date(b.from).toISOString()} data-to={new Date(b.to).toISOString()}
                fillOpacity={b.recorded ? 0.45 + 0.55 * b.coverage : 1}>
            <title>{b.recorded ? 'Recorded' : 'Gap'} {clock(b.from)} – {clock(b.to)}</title>
          </rect>
        ))}
        {marks.map((m) => (
          <g key={m.at}>
            <line x1={x(m.at)} x2={x(m.at)} y1={m.major ? 8 : 12} y2={44} className="tl-tick" />
            <text x={x(m.at) + 2} y={54} className="tl-label">
              {new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
            </text>
          </g>
        ))}
        {(dragged ?? selection) && (
          <rect x={x((dragged ?? selection)!.from)} y={12} height={32} className="tl-selection"
                width={Math.max(1, x((dragged ?? selection)!.to) - x((dragged ?? selection)!.from))}
                data-testid="timeline-selection" />
        )}
        {playhead !== null && playhead >= view.from && playhead <= view.to && (
          <line x1={x(playhead)} x2={x(playhead)} y1={4} y2={44} className="tl-playhead" data-testid="timeline-playhead" />
        )}
        {cursor !== null && <line x1={x(cursor)} x2={x(cursor)} y1={4} y2={44} className="tl-cursor" />}
      </svg>
      <div className="tl-tooltip" aria-hidden="true" style={{ visibility: hover === null ? 'hidden' : 'visible',
        left: hover === null ? 0 : `${(x(hover) / W) * 100}%` }}>
        {hover !== null && clock(hover)}
        {thumb && <img src={thumb} alt="" className="tl-thumb" data-testid="timeline-thumbnail" />}
      </div>
    </div>
  );
}
