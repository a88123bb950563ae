package com.cns.gateway.config;

import java.time.Duration;

/**
 * RecordingSettings govern manual recordings: durations, what to do when a camera's own XProtect
 * timeout is shorter than the requested duration, and the auto-stop machinery's pace.
 *
 * @param renewBeyondXProtectTimeout true: keep recording past the camera's
 *        {@code manualRecordingTimeoutMinutes} by renewing; false: refuse such durations with 400
 * @param checkInterval   how often XProtect is asked whether a recording still runs
 * @param progressInterval how often {@code recording_progress} events go out
 * @param stopAttempts    SOAP stop attempts before a session is marked failed
 * @param lease           how long an instance owns a session it is stopping
 */
public record RecordingSettings(
        int defaultDurationSeconds,
        int maxDurationSeconds,
        boolean renewBeyondXProtectTimeout,
        Duration checkInterval,
        Duration progressInterval,
        int stopAttempts,
        Duration stopRetryDelay,
        Duration lease) {
}
