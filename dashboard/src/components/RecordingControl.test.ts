import { describe, expect, it } from 'vitest';
import type { RecordingEvent } from '../api/events';
import { eventToast } from './RecordingControl';

const stopped = (reason: RecordingEvent['reason'], error: string | null = null): RecordingEvent => ({
  type: 'recording_stopped', cameraId: 'c', recordingId: 'rec_1', timestamp: '2026-11-30T10:00:00Z', reason,
  status: { isRecording: false, lastRecording: { recordingId: 'rec_1', status: 'failed', stopReason: reason, error } },
});

describe('recording event toasts', () => {
  it('say how a recording ended', () => {
    expect(eventToast(stopped('user'))).toEqual({ kind: 'success', text: 'Recording stopped' });
    expect(eventToast(stopped('auto'))?.text).toContain('auto-stopped');
    expect(eventToast(stopped('xprotect_timeout'))).toMatchObject({ kind: 'warning' });
    expect(eventToast(stopped('xprotect_timeout'))?.text).toContain('xprotect_timeout');
    expect(eventToast(stopped('failure', 'recorder refused'))).toEqual({ kind: 'error',
      text: 'Recording failed: recorder refused' });
  });

  it('announce a start with its end and stay quiet on progress', () => {
    const start: RecordingEvent = { type: 'recording_started', cameraId: 'c', recordingId: 'rec_2',
      timestamp: '2026-11-30T10:00:00Z', status: { isRecording: true, recording: { recordingId: 'rec_2',
        startTime: '2026-11-30T10:00:00Z', elapsedSeconds: 0, remainingSeconds: 300, durationSeconds: 300,
        estimatedEndTime: '2026-11-30T10:05:00Z' } } };
    expect(eventToast(start)?.text).toMatch(/^Recording started, until /);
    expect(eventToast({ ...start, type: 'recording_progress' })).toBeNull();
  });
});
