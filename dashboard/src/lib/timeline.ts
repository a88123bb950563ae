// The timeline's geometry: buckets merged into recorded blocks and gaps, the view window under zoom,
// and tick marks (unit-tested in timeline.test.ts).
import type { Range } from './time';

export interface Bucket {
  timestamp: string;
  hasRecording: boolean;
  coverage: number;
}

export interface Block {
  from: number;
  to: number;
  recorded: boolean;
  /** Recorded share of the block (1 for whole buckets; partial buckets lower it). */
  coverage: number;
}

/**
 * Consecutive buckets of the same kind merged into blocks ({@code stepMs} long each, the last ending
 * at the range's end): recorded blocks and gaps, which the timeline draws as green and grey.
 */
export function blocks(buckets: Bucket[], stepMs: number, range: Range): Block[] {
  const out: Block[] = [];
  for (const b of buckets) {
    const from = Math.max(range.from, Date.parse(b.timestamp));
    const to = Math.min(range.to, Date.parse(b.timestamp) + stepMs);
    if (to <= from) {
      continue;
    }
    const last = out[out.length - 1];
    if (last && last.recorded === b.hasRecording && last.to === from) {
      const len = last.to - last.from;
      last.coverage = (last.coverage * len + (b.hasRecording ? b.coverage : 0) * (to - from)) / (len + to - from);
      last.to = to;
    } else {
      out.push({ from, to, recorded: b.hasRecording, coverage: b.hasRecording ? b.coverage : 0 });
    }
  }
  return out;
}

export const ZOOMS = [1, 2, 4, 8] as const;

/**
 * The part of {@code range} shown at {@code zoom}, centred on {@code centre} and kept inside the range.
 */
export function viewWindow(range: Range, zoom: number, centre: number): Range {
  const span = (range.to - range.from) / zoom;
  let from = centre - span / 2;
  from = Math.max(range.from, Math.min(range.to - span, from));
  return { from, to: from + span };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const STEPS = [MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR,
  12 * HOUR, 24 * HOUR];

/** Tick marks for a window: the smallest step from the list that gives at most {@code max} marks, on local time. */
export function ticks(view: Range, max = 12): { at: number; major: boolean }[] {
  const span = view.to - view.from;
  const step = STEPS.find((s) => span / s < max) ?? 24 * HOUR;
  const offset = new Date(view.from).getTimezoneOffset() * MINUTE;
  const first = Math.ceil((view.from - offset) / step) * step + offset;
  const out: { at: number; major: boolean }[] = [];
  for (let t = first; t <= view.to; t += step) {
    const local = new Date(t);
    out.push({ at: t, major: local.getMinutes() === 0 });
  }
  return out;
}

/** The x of a time in a window drawn {@code width} wide. */
export function xOf(t: number, view: Range, width: number): number {
  return ((t - view.from) / (view.to - view.from)) * width;
}

/** The time at x in a window drawn {@code width} wide. */
export function timeAt(x: number, view: Range, width: number): number {
  return view.from + (x / width) * (view.to - view.from);
}
