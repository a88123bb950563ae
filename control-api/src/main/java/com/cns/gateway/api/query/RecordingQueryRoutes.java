package com.cns.gateway.api.query;

import com.cns.gateway.api.cameras.Camera;
import com.cns.gateway.api.cameras.CameraRepository;
import com.cns.gateway.api.cameras.CameraSubRoutes;
import com.cns.gateway.api.http.ApiError;
import com.cns.gateway.api.http.RequestReader;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.gateway.recordingindex.RecordingIndex;
import com.cns.gateway.recordingindex.RecordingRuns;
import com.cns.gateway.recordingindex.Timeline;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import com.cns.gateway.api.auth.Role;
import com.cns.gateway.api.http.Routes;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * RecordingQueryRoutes answers what a camera recorded (plan 8.3): the query with sequences, gaps,
 * coverage, statistics and metadata; the sequences alone; and the minute/hour/day timeline. Ranges
 * are validated, and the part in the future is clipped to now.
 */
public final class RecordingQueryRoutes implements CameraSubRoutes {
    /** The longest range the query and sequence answers serve. */
    static final Duration MAX_QUERY_RANGE = Duration.ofDays(366);

    private final CameraRepository cameras;
    private final RecordingIndex index;
    private final Clock clock;
    private final MeterRegistry registry;

    public RecordingQueryRoutes(CameraRepository cameras, RecordingIndex index, Clock clock, MeterRegistry registry) {
        this.cameras = cameras;
        this.index = index;
        this.clock = clock;
        this.registry = registry;
    }

    private record Range(Instant from, Instant to) {
    }

    @Override
    public void mount(Routes r) {
        r.post("/:id/recordings/query", Role.VIEWER, this::query);
        r.get("/:id/recordings/sequences", Role.VIEWER, this::sequences);
        r.get("/:id/recordings/timeline", Role.VIEWER, this::timeline);
    }

    private void query(RoutingContext ctx) {
        UUID id = RequestReader.pathUuid(ctx, "id");
        JsonObject body = RequestReader.body(ctx, false);
        Range range = range(RequestReader.string(body, "startTime", 64), RequestReader.string(body, "endTime", 64),
                MAX_QUERY_RANGE, "a query");
        timed("query", camera(id).compose(c -> {
            CameraAddress a = address(c);
            Future<RecordingRuns> runs = index.runs(a, range.from(), range.to());
            Future<Long> retention = index.retentionLimit(a)
                    .map(limit -> Math.max(0, Math.round(Duration.between(limit, clock.instant()).toHours() / 24.0)))
                    .otherwise((Long) null);
            return Future.all(runs, retention).map(v -> {
                RecordingRuns rr = runs.result();
                var total = RecordingQueryJson.seconds(rr.recorded());
                var gaps = RecordingQueryJson.seconds(rr.missing());
                double coverage = RecordingQueryJson.ratio(rr.coverage());
                return new JsonObject()
                        .put("cameraId", c.id().toString()).put("cameraName", c.name())
                        .put("queryRange", RecordingQueryJson.range(rr))
                        .put("sequences", RecordingQueryJson.sequences(c.id(), rr))
                        .put("gaps", RecordingQueryJson.gaps(rr))
                        .put("totalRecordingSeconds", total).put("totalGapSeconds", gaps).put("coverage", coverage)
                        .put("statistics", new JsonObject().put("totalRecordingSeconds", total)
                                .put("totalGapSeconds", gaps).put("coverage", coverage)
                                .put("totalSizeBytes", null).put("averageBitrate", null))
                        .put("metadata", new JsonObject().put("recordingServer", c.recordingServer())
                                .put("storageLocation", null).put("retentionDays", retention.result()));
            });
        }), ctx);
    }

    private void sequences(RoutingContext ctx) {
        UUID id = RequestReader.pathUuid(ctx, "id");
        Range range = range(ctx.queryParams().get("startTime"), ctx.queryParams().get("endTime"), MAX_QUERY_RANGE,
                "a sequence list");
        timed("sequences", camera(id).compose(c -> index.runs(address(c), range.from(), range.to())
                .map(rr -> new JsonObject().put("cameraId", c.id().toString())
                        .put("queryRange", RecordingQueryJson.range(rr))
                        .put("sequences", RecordingQueryJson.sequences(c.id(), rr))
                        .put("totalRecordingSeconds", RecordingQueryJson.seconds(rr.recorded())))), ctx);
    }

    private void timeline(RoutingContext ctx) {
        UUID id = RequestReader.pathUuid(ctx, "id");
        Timeline.Resolution res = resolution(ctx.queryParams().get("resolution"));
        ZoneId zone = zone(ctx.queryParams().get("tz"));
        Range range = range(ctx.queryParams().get("startTime"), ctx.queryParams().get("endTime"), res.maxRange,
                res.label() + " resolution");
        String zoneName = zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
        timed("timeline", camera(id).compose(c -> index.runs(address(c), range.from(), range.to())
                .map(rr -> TimelineJson.write(c.id().toString(), res, zoneName, rr, Timeline.buckets(rr, res, zone)))),
                ctx);
    }

    private void timed(String endpoint, Future<?> answer, RoutingContext ctx) {
        Timer.Sample sample = Timer.start(registry);
        answer.onComplete(ar -> sample.stop(Timer.builder("gateway_recording_query_duration")
                .description("Latency of recording queries, sequence lists and timelines")
                .tag("endpoint", endpoint).tag("outcome", ar.succeeded() ? "success" : "failure")
                .publishPercentileHistogram().register(registry)));
        answer.onSuccess(j -> ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(j instanceof JsonObject o ? o.encode() : (String) j)).onFailure(ctx::fail);
    }

    private Future<Camera> camera(UUID id) {
        return cameras.require(id);
    }

    private static CameraAddress address(Camera c) {
        return c.address();
    }

    private Range range(String start, String end, Duration max, String what) {
        Instant from = instant("startTime", start);
        Instant to = instant("endTime", end);
        if (!to.isAfter(from)) {
            throw ApiError.badRequest("endTime must be after startTime");
        }
        if (Duration.between(from, to).compareTo(max) > 0) {
            throw new ApiError(400, "The range is longer than the " + max.toDays() + " days allowed for " + what,
                    new JsonObject().put("maxRangeDays", max.toDays()));
        }
        Instant now = clock.instant();
        if (!from.isBefore(now)) {
            throw ApiError.badRequest("startTime is in the future: nothing is recorded there yet");
        }
        return new Range(from, to.isAfter(now) ? now : to);
    }

    private static Instant instant(String field, String v) {
        return RequestReader.instant(field, v);
    }

    private static Timeline.Resolution resolution(String v) {
        if (v == null || v.isBlank()) {
            return Timeline.Resolution.HOUR;
        }
        try {
            return Timeline.Resolution.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("Query parameter 'resolution' must be one of " + Arrays.stream(
                    Timeline.Resolution.values()).map(Timeline.Resolution::label).collect(Collectors.joining(", "))
                    + ", got '" + v + "'");
        }
    }

    private static ZoneId zone(String v) {
        if (v == null || v.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(v);
        } catch (DateTimeException e) {
            throw ApiError.badRequest("Query parameter 'tz' must be a time zone such as Asia/Dubai, got '" + v + "'");
        }
    }
}
