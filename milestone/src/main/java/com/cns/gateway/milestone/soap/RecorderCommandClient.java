package com.cns.gateway.milestone.soap;

import com.cns.gateway.milestone.MilestoneMetrics;
import com.cns.gateway.milestone.XProtectException;
import com.cns.gateway.milestone.XProtectHttp;
import com.cns.gateway.milestone.RecorderUnreachableException;
import com.cns.gateway.milestone.XProtectUnavailableException;
import com.cns.gateway.milestone.resilience.CircuitBreaker;
import com.cns.gateway.milestone.resilience.Retry;
import com.cns.gateway.milestone.soap.RecorderCommandMessages.ManualRecordingInfo;
import com.cns.gateway.milestone.soap.RecorderCommandMessages.ManualRecordingResult;
import com.cns.gateway.milestone.XpSequence;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * RecorderCommandClient calls a recording server's RecorderCommandService with the VMS token in the
 * body: manual recording start, stop and state, and the recording-sequence queries. XProtect has no duration on a manual recording, so
 * the gateway owns the stop. All three calls are idempotent (a repeated Start or a Stop of a stopped
 * device succeeds), so transport failures are retried; a token fault (20001) gets one fresh VMS
 * token and one retry. Each recording server has its own circuit breaker: one dead recorder must not
 * cut the others off.
 */
public final class RecorderCommandClient {
    private final WebClient http;
    private final VmsTokenProvider tokens;
    private final Retry retry;
    private final Duration timeout;
    private final MilestoneMetrics metrics;
    private final Function<String, CircuitBreaker> breakerFactory;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    public RecorderCommandClient(WebClient http, VmsTokenProvider tokens, Retry retry, Duration timeout,
                                 int failureThreshold, Duration openDuration, Clock clock, MilestoneMetrics metrics) {
        this.http = http;
        this.tokens = tokens;
        this.retry = retry;
        this.timeout = timeout;
        this.metrics = metrics;
        this.breakerFactory = name -> new CircuitBreaker("recording server " + name, failureThreshold, openDuration,
                clock);
    }

    public Future<ManualRecordingResult> startManualRecording(URI recorder, String deviceId) {
        return call(recorder, "StartManualRecording", "start_manual_recording", devices("StartManualRecording", deviceId),
                RecorderCommandMessages::parseResults).map(r -> one(r, deviceId));
    }

    public Future<ManualRecordingResult> stopManualRecording(URI recorder, String deviceId) {
        return call(recorder, "StopManualRecording", "stop_manual_recording", devices("StopManualRecording", deviceId),
                RecorderCommandMessages::parseResults).map(r -> one(r, deviceId));
    }

    /** Recording sequences beginning in [min, max], at most {@code maxCount}, sorted by TimeBegin. */
    public Future<List<XpSequence>> sequencesGet(URI recorder, String deviceId, Instant min, Instant max, int maxCount) {
        return call(recorder, "SequencesGet", "sequences_get", t -> RecorderCommandMessages.sequencesGet(t, deviceId,
                RecorderCommandMessages.RECORDING_SEQUENCE, min, max, maxCount), RecorderCommandMessages::parseSequences);
    }

    /** Up to {@code before} recording sequences beginning before {@code center} and {@code after} from it. */
    public Future<List<XpSequence>> sequencesGetAround(URI recorder, String deviceId, Instant center, int before,
                                                        int after) {
        return call(recorder, "SequencesGetAround", "sequences_get_around", t -> RecorderCommandMessages
                .sequencesGetAround(t, deviceId, RecorderCommandMessages.RECORDING_SEQUENCE, center, before, after),
                RecorderCommandMessages::parseSequences);
    }

    /** The picture of the recorded frame at or before {@code time}, as JPEG; empty if none. */
    public Future<java.util.Optional<RecorderCommandMessages.JpegData>> jpegAtOrBefore(URI recorder, String deviceId,
                                                                                   Instant time) {
        return call(recorder, "JPEGGetAtOrBefore", "jpeg_get_at_or_before",
                t -> RecorderCommandMessages.jpegGet("JPEGGetAtOrBefore", t, deviceId, time),
                RecorderCommandMessages::parseJpeg);
    }

    /** The oldest time the camera's recordings still reach back to. */
    public Future<Instant> retentionTimeLimit(URI recorder, String deviceId) {
        return call(recorder, "GetRetentionTimeLimit", "get_retention_time_limit",
                t -> RecorderCommandMessages.retentionTimeLimit(t, deviceId), RecorderCommandMessages::parseRetentionLimit);
    }

    public Future<Boolean> isManualRecording(URI recorder, String deviceId) {
        return call(recorder, "IsManualRecording", "is_manual_recording", devices("IsManualRecording", deviceId),
                RecorderCommandMessages::parseInfos)
                .map(infos -> infos.stream().filter(i -> i.deviceId().equalsIgnoreCase(deviceId)).findFirst()
                        .map(ManualRecordingInfo::isManualRecording)
                        .orElseThrow(() -> new XProtectException("IsManualRecording answered nothing for " + deviceId)));
    }

    private static Function<String, String> devices(String method, String deviceId) {
        return token -> RecorderCommandMessages.deviceListRequest(method, token, List.of(deviceId));
    }

    private <T> Future<T> call(URI recorder, String method, String operation, Function<String, String> body,
                               Function<String, T> parse) {
        if (recorder == null) {
            return Future.failedFuture(new XProtectUnavailableException(
                    "the camera has no known recording server (sync it)", Duration.ofSeconds(30), null));
        }
        CircuitBreaker breaker = breakers.computeIfAbsent(recorder.getAuthority().toLowerCase(Locale.ROOT),
                breakerFactory);
        return breaker.call(() -> retry.run(() -> metrics.time(operation,
                attempt(recorder, method, body, parse, false))));
    }

    private <T> Future<T> attempt(URI recorder, String method, Function<String, String> body,
                                  Function<String, T> parse, boolean retried) {
        return tokens.token().compose(token -> http.postAbs(recorder.resolve(RecorderCommandMessages.PATH).toString())
                .timeout(timeout.toMillis())
                .putHeader("Content-Type", "text/xml; charset=utf-8")
                .putHeader("SOAPAction", "\"" + RecorderCommandMessages.action(method) + "\"")
                .sendBuffer(Buffer.buffer(body.apply(token.value())))
                .recover(e -> {
                    XProtectUnavailableException u = XProtectHttp.unavailable("recording server "
                            + recorder.getAuthority(), e);
                    return Future.failedFuture(new RecorderUnreachableException(recorder, u.getMessage(), e));
                })
                .compose(resp -> {
                    String text = resp.bodyAsString();
                    boolean soap = text != null && text.contains("Envelope");
                    if (!soap && (resp.statusCode() >= 500 || resp.statusCode() == 404 || resp.statusCode() == 429)) {
                        return Future.failedFuture(new XProtectUnavailableException("recording server "
                                + recorder.getAuthority() + " answered " + XProtectHttp.describe(resp),
                                Duration.ofSeconds(5), null));
                    }
                    try {
                        return Future.succeededFuture(parse.apply(text == null ? "" : text));
                    } catch (SoapFaultException f) {
                        if (f.isTokenError() && !retried) {
                            tokens.invalidate(token.value());
                            return attempt(recorder, method, body, parse, true);
                        }
                        return Future.failedFuture(f);
                    }
                }));
    }

    private static ManualRecordingResult one(List<ManualRecordingResult> results, String deviceId) {
        return results.stream().filter(r -> deviceId.equalsIgnoreCase(r.deviceId())).findFirst()
                .orElseThrow(() -> new XProtectException("the recording server answered nothing for " + deviceId));
    }
}
