import { useCallback, useEffect, useState } from 'react';
import { get, type RecordingStatus, send } from '../api/client';
import type { RecordingEvent } from '../api/events';
import { allows } from '../auth/session';
import { message, useApp } from '../context';
import { clock, duration } from '../lib/time';
import { useToast } from './Toasts';

const DURATIONS = [
  { seconds: 300, label: '5 minutes' },
  { seconds: 900, label: '15 minutes' },
  { seconds: 1800, label: '30 minutes' },
  { seconds: 3600, label: '60 minutes' },
];

/** A toast's words for a recording event (another operator's start, an auto-stop, XProtect's timeout…). */
export function eventToast(e: RecordingEvent): { kind: 'info' | 'success' | 'warning' | 'error'; text: string } | null {
  if (e.type === 'recording_started') {
    const end = e.status.recording?.estimatedEndTime;
    return { kind: 'info', text: `Recording started${end ? `, until ${clock(Date.parse(end))}` : ''}` };
  }
  if (e.type !== 'recording_stopped') {
    return null;
  }
  switch (e.reason) {
    case 'auto':
      return { kind: 'success', text: 'Recording auto-stopped at the end of its duration' };
    case 'xprotect_timeout':
      return { kind: 'warning', text: 'XProtect did not answer in time (xprotect_timeout): the recording stopped' };
    case 'failure':
      return { kind: 'error', text: `Recording failed: ${e.status.lastRecording?.error ?? 'XProtect refused it'}` };
    default:
      return { kind: 'success', text: 'Recording stopped' };
  }
}

/**
 * Manual recording of one camera: a duration (5, 15, 30, 60 minutes or custom), start and stop for
 * operators, a countdown and a progress bar from the gateway's status (remaining seconds, so a reload
 * or another browser shows the same), kept current by the events of every client, resynced after a
 * dropped connection.
 */
export function RecordingControl({ cameraId }: { cameraId: string }) {
  const { session, user, events } = useApp();
  const toast = useToast();
  const [status, setStatus] = useState<RecordingStatus | null>(null);
  const [endAt, setEndAt] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now());
  const [seconds, setSeconds] = useState(900);
  const [custom, setCustom] = useState('');
  const [busy, setBusy] = useState(false);
  const operator = allows(user.role, 'operator');

  const apply = useCallback((s: RecordingStatus) => {
    setStatus(s);
    // The clock the countdown reads moves only while a recording runs: set it with the end, or the
    // first render counts from a stale now and shows more time left than the recording has.
    const t = Date.now();
    setNow(t);
    setEndAt(s.isRecording && s.recording ? t + s.recording.remainingSeconds * 1000 : null);
  }, []);
  const refresh = useCallback(async () => {
    try {
      apply(await get<RecordingStatus>(session, `/api/v1/cameras/${cameraId}/recordings/status`));
    } catch (e) {
      toast('error', `Recording status: ${message(e)}`);
    }
  }, [session, cameraId, apply, toast]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => events.onResync(() => void refresh()), [events, refresh]);
  useEffect(() => events.on((e) => {
    if (e.cameraId !== cameraId) {
      return;
    }
    apply(e.status);
    const t = eventToast(e);
    if (t) {
      toast(t.kind, t.text);
    }
  }), [events, cameraId, apply, toast]);
  useEffect(() => {
    if (endAt === null) {
      return;
    }
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [endAt]);

  async function start() {
    const minutes = custom.trim() === '' ? null : Number(custom);
    if (minutes !== null && (!Number.isFinite(minutes) || minutes <= 0 || Math.round(minutes * 60) !== minutes * 60)) {
      toast('warning', 'A custom duration is a whole number of seconds, given in minutes (e.g. 7.5)');
      return;
    }
    setBusy(true);
    try {
      await send(session, `/api/v1/cameras/${cameraId}/recordings/start`, { duration: minutes === null ? seconds : minutes * 60 });
      await refresh();
    } catch (e) {
      toast('error', `Start: ${message(e)}`);
    } finally {
      setBusy(false);
    }
  }

  async function stop() {
    setBusy(true);
    try {
      await send(session, `/api/v1/cameras/${cameraId}/recordings/stop`, {});
      await refresh();
    } catch (e) {
      toast('error', `Stop: ${message(e)}`);
    } finally {
      setBusy(false);
    }
  }

  const rec = status?.isRecording ? status.recording : undefined;
  const remaining = rec && endAt !== null ? Math.max(0, (endAt - now) / 1000) : 0;
  return (
    <section className="recording-control" aria-label="Manual recording">
      <h3>Manual recording</h3>
      {rec ? (
        <div className="countdown" data-testid="record-countdown" data-remaining-seconds={Math.round(remaining)}>
          <span className="rec-dot">● REC</span> {duration(remaining)} left of {duration(rec.durationSeconds)}
          <progress max={rec.durationSeconds} value={rec.durationSeconds - remaining} aria-label="Recording progress" />
          <span className="muted">until {clock(Date.parse(rec.estimatedEndTime))}</span>
        </div>
      ) : (
        <p className="muted" data-testid="record-idle">
          Not recording{status?.lastRecording ? `; last: ${status.lastRecording.status}`
            + `${status.lastRecording.stopReason ? ` (${status.lastRecording.stopReason})` : ''}` : ''}
        </p>
      )}
      {operator ? (
        <div className="record-actions">
          <label className="inline">Duration
            <select data-testid="record-duration" value={seconds} onChange={(e) => setSeconds(Number(e.target.value))}
                    disabled={!!rec || custom !== ''}>
              {DURATIONS.map((d) => <option key={d.seconds} value={d.seconds}>{d.label}</option>)}
            </select>
          </label>
          <label className="inline">or custom (minutes)
            <input type="number" min={0.1} step="any" value={custom} onChange={(e) => setCustom(e.target.value)}
                   disabled={!!rec} data-testid="record-custom" style={{ width: '6rem' }} />
          </label>
          {rec ? (
            <button type="button" data-testid="record-stop" onClick={() => void stop()} disabled={busy}>Stop recording</button>
          ) : (
            <button type="button" data-testid="record-start" onClick={() => void start()} disabled={busy}>Start recording</button>
          )}
        </div>
      ) : (
        <p className="muted">Starting and stopping recordings needs the operator role.</p>
      )}
    </section>
  );
}
