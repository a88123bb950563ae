package com.cns.xprotect.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ManualRecordings is the recorders' manual-recording state per camera, on the simulator's clock.
 * A camera whose {@code manualRecordingTimeoutEnabled} is set stops by itself
 * {@code manualRecordingTimeoutMinutes} after the last Start, as XProtect does; a repeated Start
 * while recording keeps the recording and restarts that timeout (XProtect documents that a repeated
 * Start is "ignored but succeeds"; that it restarts the timeout is this simulator's assumption).
 * Every manual recording leaves a recording sequence, read later by the sequence queries.
 */
public final class ManualRecordings {
    private static final class State {
        boolean recording;
        Instant startedAt;
        Instant lastStart;
    }

    private final Clock clock;
    private final SimulatedSite site;
    private final Map<String, State> states = new HashMap<>();
    private final Map<String, List<RecordedSpan>> spans = new HashMap<>();

    ManualRecordings(Clock clock, SimulatedSite site) {
        this.clock = clock;
        this.site = site;
    }

    public synchronized void start(String cameraId) {
        Instant now = clock.instant();
        State s = current(cameraId, now);
        if (!s.recording) {
            s.recording = true;
            s.startedAt = now;
        }
        s.lastStart = now;
    }

    public synchronized void stop(String cameraId) {
        Instant now = clock.instant();
        State s = current(cameraId, now);
        if (s.recording) {
            close(cameraId, s, now);
        }
    }

    public synchronized boolean isRecording(String cameraId) {
        return current(cameraId, clock.instant()).recording;
    }

    /** Every manual recording of a camera, the running one up to now. */
    public synchronized List<RecordedSpan> spans(String cameraId) {
        Instant now = clock.instant();
        State s = current(cameraId, now);
        List<RecordedSpan> out = new ArrayList<>(spans.getOrDefault(cameraId, List.of()));
        if (s.recording) {
            out.add(new RecordedSpan(s.startedAt, now));
        }
        return out;
    }

    /** The state after applying the camera's own timeout up to {@code now}. */
    private State current(String cameraId, Instant now) {
        State s = states.computeIfAbsent(cameraId, k -> new State());
        SimulatedSite.Camera c = site.camera(cameraId);
        if (s.recording && c != null && c.manualRecordingTimeoutEnabled()) {
            Instant timeout = s.lastStart.plus(Duration.ofMinutes(c.manualRecordingTimeoutMinutes()));
            if (!now.isBefore(timeout)) {
                close(cameraId, s, timeout);
            }
        }
        return s;
    }

    private void close(String cameraId, State s, Instant end) {
        spans.computeIfAbsent(cameraId, k -> new ArrayList<>()).add(new RecordedSpan(s.startedAt, end));
        s.recording = false;
        s.startedAt = null;
        s.lastStart = null;
    }
}
