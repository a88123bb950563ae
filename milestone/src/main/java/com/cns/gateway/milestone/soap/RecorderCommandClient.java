package com.cns.gateway.milestone.soap;

import com.cns.gateway.milestone.MilestoneMetrics;
import com.cns.gateway.milestone.XProtectException;
import com.cns.gateway.milestone.XProtectHttp;
import com.cns.gateway.milestone.XProtectUnavailableException;
import com.cns.gateway.milestone.resilience.CircuitBreaker;
import com.cns.gateway.milestone.resilience.Retry;
import com.cns.gateway.milestone.soap.RecorderCommandMessages.ManualRecordingInfo;
import com.cns.gateway.milestone.soap.RecorderCommandMessages.ManualRecordingResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * RecorderCommandClient calls a recording server's RecorderCommandService with the VMS token in the
 * body: manual recording start, stop and state. XProtect has no duration on a manual recording, so
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
        return call(recorder, "StartManualRecording", "start_manual_recording", deviceId,
                RecorderCommandMessages::parseResults).map(r -> one(r, deviceId));
    }

    public Future<ManualRecordingResult> stopManualRecording(URI recorder, String deviceId) {
        return call(recorder, "StopManualRecording", "stop_manual_recording", deviceId,
                RecorderCommandMessages::parseResults).map(r -> one(r, deviceId));
    }

    public Future<Boolean> isManualRecording(URI recorder, String deviceId) {
        return call(recorder, "IsManualRecording", "is_manual_recording", deviceId, RecorderCommandMessages::parseInfos)
                .map(infos -> infos.stream().filter(i -> i.deviceId().equalsIgnoreCase(deviceId)).findFirst()
                        .map(ManualRecordingInfo::isManualRecording)
                        .orElseThrow(() -> new XProtectException("IsManualRecording answered nothing for " + deviceId)));
    }

    private <T> Future<T> call(URI recorder, String method, String operation, String deviceId,
                               Function<String, T> parse) {
        if (recorder == null) {
            return Future.failedFuture(new XProtectUnavailableException(
                    "camera " + deviceId + " has no known recording server", Duration.ofSeconds(30), null));
        }
        CircuitBreaker breaker = breakers.computeIfAbsent(recorder.getAuthority().toLowerCase(Locale.ROOT),
                breakerFactory);
        return breaker.call(() -> retry.run(() -> metrics.time(operation,
                attempt(recorder, method, deviceId, parse, false))));
    }

    private <T> Future<T> attempt(URI recorder, String method, String deviceId, Function<String, T> parse,
                                  boolean retried) {
        return tokens.token().compose(token -> http.postAbs(recorder.resolve(RecorderCommandMessages.PATH).toString())
                .timeout(timeout.toMillis())
                .putHeader("Content-Type", "text/xml; charset=utf-8")
                .putHeader("SOAPAction", "\"" + RecorderCommandMessages.action(method) + "\"")
                .sendBuffer(Buffer.buffer(RecorderCommandMessages.deviceListRequest(method, token.value(),
                        List.of(deviceId))))
                .recover(e -> Future.failedFuture(XProtectHttp.unavailable("recording server " + recorder.getAuthority(),
                        e)))
                .compose(resp -> {
                    String body = resp.bodyAsString();
                    boolean soap = body != null && body.contains("Envelope");
                    if (!soap && (resp.statusCode() >= 500 || resp.statusCode() == 404 || resp.statusCode() == 429)) {
                        return Future.failedFuture(new XProtectUnavailableException("recording server "
                                + recorder.getAuthority() + " answered " + XProtectHttp.describe(resp),
                                Duration.ofSeconds(5), null));
                    }
                    try {
                        return Future.succeededFuture(parse.apply(body == null ? "" : body));
                    } catch (SoapFaultException f) {
                        if (f.isTokenError() && !retried) {
                            tokens.invalidate(token.value());
                            return attempt(recorder, method, deviceId, parse, true);
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
