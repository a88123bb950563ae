import { describe, expect, it } from 'vitest';
import { formatView, parseView, positionOf, presetRange, recordingTimeAt, stepSpeed, duration } from './time';
import { blocks, ticks, viewWindow } from './timeline';

const T = Date.parse('2026-11-30T10:00:00.000Z');

describe('recording time from the playlist', () => {
  it('advances at the speed forward and runs back backward', () => {
    expect(recordingTimeAt(T, 8, 10, 1)).toBe(T + 2000);
    expect(recordingTimeAt(T, 8, 10, 4)).toBe(T + 8000);
    expect(recordingTimeAt(T, 8, 10, -2)).toBe(T - 4000);
    expect(recordingTimeAt(T, 8, 8.04, 0.5)).toBeCloseTo(T + 20, 6);
  });

  it('finds the position of a recording time inside a fragment only', () => {
    expect(positionOf(T, 8, 4, 2, T + 4000)).toBe(10);
    expect(positionOf(T, 8, 4, -1, T - 1000)).toBe(9);
    expect(positionOf(T, 8, 4, 1, T + 4000)).toBeNull();
    expect(positionOf(T, 8, 4, 1, T - 1)).toBeNull();
  });
});

describe('speeds', () => {
  it('step up and down the list and stop at its ends', () => {
    expect(stepSpeed(1, true)).toBe(2);
    expect(stepSpeed(-0.5, true)).toBe(0.5);
    expect(stepSpeed(8, true)).toBe(8);
    expect(stepSpeed(-8, false)).toBe(-8);
  });
});

describe('deep links', () => {
  it('round-trip a range, a moment and a speed', () => {
    const v = { range: { from: T, to: T + 3_600_000 }, t: T + 61_234, speed: -2 as const };
    expect(formatView(v)).toBe('?from=2026-11-30T10%3A00%3A00.000Z&to=2026-11-30T11%3A00%3A00.000Z'
      + '&t=2026-11-30T10%3A01%3A01.234Z&speed=-2');
    expect(parseView(formatView(v))).toEqual(v);
  });

  it('leave out what is malformed and default to 1x', () => {
    expect(parseView('?from=yesterday&to=2026-11-30T10:00:00Z&t=x&speed=3')).toEqual({ range: undefined, t: undefined,
      speed: 1 });
    expect(parseView('?from=2026-11-30T11:00:00Z&to=2026-11-30T10:00:00Z').range).toBeUndefined();
  });
});

describe('ranges', () => {
  it('yesterday is the whole local day before today', () => {
    const now = new Date(2026, 10, 30, 15, 30).getTime();
    const r = presetRange('yesterday', now);
    expect(new Date(r.from)).toEqual(new Date(2026, 10, 29));
    expect(new Date(r.to)).toEqual(new Date(2026, 10, 30));
    expect(presetRange('last-hour', now)).toEqual({ from: now - 3_600_000, to: now });
  });

  it('countdowns read as minutes and seconds', () => {
    expect(duration(299.6)).toBe('5:00');
    expect(duration(61)).toBe('1:01');
    expect(duration(3725)).toBe('1:02:05');
    expect(duration(-3)).toBe('0:00');
  });
});

describe('timeline geometry', () => {
  const b = (minute: number, has: boolean, coverage = has ? 1 : 0) => ({
    timestamp: new Date(T + minute * 60_000).toISOString(), hasRecording: has, coverage,
  });

  it('merges minute buckets into recorded blocks and gaps', () => {
    const out = blocks([b(0, true), b(1, true, 0.5), b(2, false), b(3, false), b(4, true)], 60_000,
      { from: T, to: T + 5 * 60_000 });
    expect(out.map((x) => [x.recorded, (x.to - x.from) / 60_000])).toEqual([[true, 2], [false, 2], [true, 1]]);
    expect(out[0].coverage).toBeCloseTo(0.75);
  });

  it('zooms around a centre inside the range', () => {
    const r = { from: T, to: T + 8 * 3_600_000 };
    expect(viewWindow(r, 4, T + 4 * 3_600_000)).toEqual({ from: T + 3 * 3_600_000, to: T + 5 * 3_600_000 });
    expect(viewWindow(r, 8, T)).toEqual({ from: T, to: T + 3_600_000 });
    expect(viewWindow(r, 1, T + 123)).toEqual(r);
  });

  it('marks hours over a day and minutes over an hour', () => {
    const day = ticks({ from: T, to: T + 86_400_000 });
    expect(day.length).toBeLessThanOrEqual(12);
    expect(day.every((t) => t.major)).toBe(true);
    const hour = ticks({ from: T, to: T + 3_600_000 });
    expect(hour[1].at - hour[0].at).toBe(10 * 60_000);
    expect(ticks({ from: T, to: T + 30 * 60_000 })[1].at - T).toBe(5 * 60_000);
  });
});
