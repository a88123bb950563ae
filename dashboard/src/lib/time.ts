// Recording time, ranges and deep links: pure functions the pages share (unit-tested in time.test.ts).

/** The speeds the gateway serves, slowest backward first (`speed-select`'s option values). */
export const SPEEDS = [-8, -4, -2, -1, -0.5, 0.5, 1, 2, 4, 8] as const;
export type Speed = (typeof SPEEDS)[number];

export function isSpeed(v: number): v is Speed {
  return (SPEEDS as readonly number[]).includes(v);
}

/** The next speed up (`]`) or down (`[`) the list, staying at its ends. */
export function stepSpeed(speed: Speed, up: boolean): Speed {
  const i = SPEEDS.indexOf(speed);
  return SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, i + (up ? 1 : -1)))];
}

/**
 * The recording time of the picture at {@code positionS} of the video, from the fragment that holds
 * it: the gateway dates each segment (EXT-X-PROGRAM-DATE-TIME) so that its date plus speed × the
 * position within it is the recording time, backward speeds included.
 */
export function recordingTimeAt(fragDateMs: number, fragStartS: number, positionS: number, speed: number): number {
  return fragDateMs + speed * (positionS - fragStartS) * 1000;
}

/** The video position showing recording time {@code timeMs} in a fragment, or null when it holds none of it. */
export function positionOf(fragDateMs: number, fragStartS: number, fragDurationS: number, speed: number,
                           timeMs: number): number | null {
  const pos = fragStartS + (timeMs - fragDateMs) / (speed * 1000);
  return pos >= fragStartS && pos < fragStartS + fragDurationS ? pos : null;
}

export interface Range {
  from: number;
  to: number;
}

export type Preset = 'last-hour' | 'today' | 'yesterday' | 'last-7-days';
export const PRESETS: { id: Preset; label: string }[] = [
  { id: 'last-hour', label: 'Last hour' },
  { id: 'today', label: 'Today' },
  { id: 'yesterday', label: 'Yesterday' },
  { id: 'last-7-days', label: 'Last 7 days' },
];

/** A preset range at {@code now}, days in the browser's time zone; "today" ends now. */
export function presetRange(preset: Preset, now: number): Range {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  const day = midnight.getTime();
  switch (preset) {
    case 'last-hour':
      return { from: now - 3_600_000, to: now };
    case 'today':
      return { from: day, to: now };
    case 'yesterday': {
      const y = new Date(day);
      y.setDate(y.getDate() - 1);
      return { from: y.getTime(), to: day };
    }
    case 'last-7-days':
      return { from: now - 7 * 86_400_000, to: now };
  }
}

/** The timeline resolution for a range: minute buckets up to two days, hour buckets beyond. */
export function resolutionFor(r: Range): 'minute' | 'hour' {
  return r.to - r.from <= 2 * 86_400_000 ? 'minute' : 'hour';
}

/** ISO 8601 UTC with milliseconds, as the API and deep links carry times. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A time of day for overlays and tooltips: local, to the millisecond. */
export function clock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:`
    + `${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** Seconds as "m:ss" (or "h:mm:ss"), for countdowns. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** What a camera page's address says: the range on the timeline, the moment played, its speed. */
export interface View {
  range?: Range;
  t?: number;
  speed: Speed;
}

function parseTime(v: string | null): number | undefined {
  if (v === null || v === '') {
    return undefined;
  }
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The view a deep link's query holds ({@code ?from&to&t&speed}); what is missing or malformed is left out. */
export function parseView(search: string): View {
  const q = new URLSearchParams(search);
  const from = parseTime(q.get('from'));
  const to = parseTime(q.get('to'));
  const speed = Number(q.get('speed') ?? '1');
  return {
    range: from !== undefined && to !== undefined && from < to ? { from, to } : undefined,
    t: parseTime(q.get('t')),
    speed: isSpeed(speed) ? speed : 1,
  };
}

/** The query of a view, for the address bar (a colleague opening it sees the same moment). */
export function formatView(v: View): string {
  const q = new URLSearchParams();
  if (v.range) {
    q.set('from', iso(v.range.from));
    q.set('to', iso(v.range.to));
  }
  if (v.t !== undefined) {
    q.set('t', iso(v.t));
  }
  q.set('speed', String(v.speed));
  return `?${q.toString()}`;
}
