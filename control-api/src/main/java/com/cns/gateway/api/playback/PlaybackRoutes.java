package com.cns.gateway.api.playback;

import com.cns.gateway.api.auth.Principal;
import com.cns.gateway.api.auth.UrlSigner;
import com.cns.gateway.api.cameras.CameraRepository;
import com.cns.gateway.api.cameras.CameraSubRoutes;
import com.cns.gateway.api.cameras.RecorderRelocator;
import com.cns.gateway.api.http.ApiError;
import com.cns.gateway.api.http.RequestReader;
import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.media.hls.Segment;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.media.hls.Speed;
import com.cns.gateway.media.playback.PlaybackService;
import com.cns.gateway.media.mjpeg.MjpegStreamer;
import com.cns.gateway.media.snapshot.SnapshotService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import com.cns.gateway.api.auth.Role;
import com.cns.gateway.api.http.Routes;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * PlaybackRoutes serve the plan's playback API (section 8.4): the HLS playlist of any recorded moment,
 * its time-addressed segments, a snapshot of the frame shown at a time, and a stateless control call
 * that turns a player's action into the playlist to load next.
 */
public final class PlaybackRoutes implements CameraSubRoutes {
    private static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    private static final String MJPEG_BOUNDARY = "cnsframe";
    /** ISO 8601 in UTC with milliseconds always written. */
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final List<String> ACTIONS = List.of("play", "pause", "seek", "speed");

    private final CameraRepository cameras;
    private final RecorderRelocator relocator;
    private final PlaybackService playback;
    private final SnapshotService snapshots;
    private final MjpegStreamer mjpeg;
    private final Clock clock;
    private final UrlSigner signer;
    private final Duration signedUrlTtl;
    private final Timer playlistTime;
    private final Counter seeks;

    /** {@code relocator}: a playlist, segment, snapshot or control call whose recorder is down looks where the camera went. */
    public PlaybackRoutes(CameraRepository cameras, RecorderRelocator relocator, PlaybackService playback,
                          SnapshotService snapshots, MjpegStreamer mjpeg, UrlSigner signer, Duration signedUrlTtl,
                          Clock clock, MeterRegistry registry) {
        this.relocator = relocator;
        this.signer = signer;
        this.signedUrlTtl = signedUrlTtl;
        this.cameras = cameras;
        this.playback = playback;
        this.snapshots = snapshots;
        this.mjpeg = mjpeg;
        this.clock = clock;
        this.playlistTime = Timer.builder("gateway_playback_time_to_first_segment")
                .description("Time from a playlist request to its answer; the segments it lists are produced by "
                        + "then, so a player's first segment is served from the cache")
                .publishPercentileHistogram().register(registry);
        this.seeks = Counter.builder("gateway_playback_control_total").tag("action", "seek")
                .description("Playback control requests by action").register(registry);
    }

    @Override
    public void mount(Routes r) {
        r.get("/:id/playback/hls/:version/:speed/:file", Role.VIEWER, this::segment); // first: a viewer's every 4 s
        r.get("/:id/playback/stream", Role.VIEWER, this::stream);
        r.get("/:id/playback/snapshot", Role.VIEWER, this::snapshot);
        r.post("/:id/playback/control", Role.VIEWER, this::control);
    }

    private void stream(RoutingContext ctx) {
        UUID id = RequestReader.pathUuid(ctx, "id");
        Instant time = RequestReader.instant("time", ctx.queryParams().get("time"));
        Speed speed = speed(ctx.queryParams().get("speed"));
        String format = ctx.queryParams().get("format");
        if (format != null && !format.equals("hls") && !format.equals("mjpeg")) {
            throw new ApiError(400, "format '" + format + "' is not one of hls, mjpeg",
                    new JsonObject().put("supportedFormats", new JsonArray().add("hls").add("mjpeg")));
        }
        String endParam = ctx.queryParams().get("endTime");
        Instant end = endParam == null ? null : RequestReader.instant("endTime", endParam);
        if (end != null && !speed.reverse() && !end.isAfter(time)) {
            throw ApiError.badRequest("endTime must be after time");
        }
        if (end != null && speed.reverse() && !end.isBefore(time)) {
            throw ApiError.badRequest("endTime must be before time when playing backward (speed " + speed.token() + ")");
        }
        if (!time.isBefore(clock.instant())) {
            throw ApiError.badRequest("time is in the future: nothing is recorded there yet");
        }
        if ("mjpeg".equals(format)) {
            mjpeg(ctx, id, speed, time, end);
            return;
        }
        String type = ctx.queryParams().get("playlistType");
        if (type != null && !type.equals("event") && !type.equals("vod")) {
            throw new ApiError(400, "playlistType '" + type + "' is not one of event, vod",
                    new JsonObject().put("playlistTypes", new JsonArray().add("event").add("vod")));
        }
        boolean vod = "vod".equals(type);
        Instant since = since(ctx.queryParams().get("since"));
        Timer.Sample sample = Timer.start();
        relocator.at(id, a -> vod ? playback.vodPlaylist(a, playback.rendition(speed), time, end)
                : playback.playlist(a, playback.rendition(speed), time, end, since)).onSuccess(p -> {
            sample.stop(playlistTime);
            // Signed for this user: the answer may not be shared by a cache between users.
            ctx.response().putHeader("Content-Type", PLAYLIST_TYPE)
                    .putHeader("Cache-Control", p.ended() ? "private, max-age=60" : "private, no-cache")
                    .end(signSegments(p.text(), id, Principal.of(ctx).username()));
        }).onFailure(ctx::fail);
    }

    /**
     * {@code multipart/x-mixed-replace} JPEG pictures paced at the speed, each part with its recording
     * time in {@code X-Recording-Time}; errors before the first picture are JSON, the client closing
     * the connection stops the recorder walk.
     */
    private void mjpeg(RoutingContext ctx, UUID id, Speed speed, Instant time, Instant end) {
        HttpServerResponse res = ctx.response();
        AtomicBoolean gone = new AtomicBoolean();
        res.closeHandler(v -> gone.set(true));
        Promise<Void> started = Promise.promise();
        started.future().onSuccess(v -> res.setChunked(true)
                .putHeader("Content-Type", "multipart/x-mixed-replace; boundary=" + MJPEG_BOUNDARY)
                .putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff"));
        MjpegStreamer.Sink sink = new MjpegStreamer.Sink() {
            @Override
            public boolean closed() {
                return gone.get() || res.closed();
            }

            @Override
            public Future<Void> write(long recordingTimeMs, byte[] jpeg) {
                Buffer part = Buffer.buffer("--" + MJPEG_BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: "
                        + jpeg.length + "\r\nX-Recording-Time: " + MILLIS.format(Instant.ofEpochMilli(recordingTimeMs))
                        + "\r\n\r\n")
                        .appendBytes(jpeg).appendString("\r\n");
                res.write(part);
                if (!res.writeQueueFull()) {
                    return Future.succeededFuture();
                }
                Promise<Void> drained = Promise.promise();
                res.drainHandler(v -> drained.tryComplete());
                return drained.future();
            }
        };
        boolean keyframesOnly = playback.rendition(speed).mode() == Rendition.Mode.KEYFRAMES;
        cameras.address(id).compose(a -> mjpeg.stream(a, speed, keyframesOnly, time, end, sink, started))
                .onComplete(ar -> {
                    if (!res.headWritten()) {
                        ctx.fail(ar.failed() ? ar.cause() : new IllegalStateException("no picture was written"));
                    } else if (!res.ended() && !res.closed()) {
                        res.end("--" + MJPEG_BOUNDARY + "--\r\n");
                    }
                });
    }

    /** The speed a query parameter names (default 1), or a 400 naming the speeds there are. */
    private static Speed speed(String value) {
        if (value == null) {
            return Speed.NORMAL;
        }
        double s;
        try {
            s = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw unsupportedSpeed("speed must be a number, got '" + value + "'");
        }
        return speed(s, value);
    }

    private static Speed speed(double s, String shown) {
        return Speed.of(s).orElseThrow(() -> unsupportedSpeed("speed " + shown + " is not one of "
                + Speed.factors().stream().map(PlaybackRoutes::number).collect(Collectors.joining(", "))));
    }

    private static ApiError unsupportedSpeed(String message) {
        return new ApiError(400, message, new JsonObject().put("supportedSpeeds",
                new JsonArray(Speed.factors().stream().map(f -> (Object) (f == Math.rint(f) ? (Number) f.intValue()
                        : (Number) f)).toList())));
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private void segment(RoutingContext ctx) {
        UUID id = RequestReader.pathUuid(ctx, "id");
        String path = ctx.pathParam("version") + "/" + ctx.pathParam("speed") + "/" + ctx.pathParam("file");
        SegmentName name = SegmentName.parse(path, playback.gridMs())
                .orElseThrow(() -> ApiError.notFound("No segment " + path + ": segments sit on a grid of "
                        + playback.gridMs() + " ms × |speed| (take their names from the playlist)"));
        relocator.at(id, a -> playback.segment(a, name).map(s -> {
            Segment seg = s.orElseThrow(() -> ApiError.notFound("No keyframe is recorded in the window of " + path));
            playback.prefetch(a, name);
            return seg;
        })).onSuccess(seg -> {
            if (seg.etag().equals(ctx.request().getHeader("If-None-Match"))) {
                ctx.response().setStatusCode(304).putHeader("ETag", seg.etag()).end();
                return;
            }
            ctx.response().putHeader("Content-Type", "video/mp2t").putHeader("ETag", seg.etag())
                    .putHeader("Cache-Control", seg.sealed(clock.millis()) ? IMMUTABLE : "public, max-age=2")
                    .end(seg.body());
        }).onFailure(ctx::fail);
    }

    private void snapshot(RoutingContext ctx) {
        UUID id = RequestReader.pathUuid(ctx, "id");
        Instant time = RequestReader.instant("time", ctx.queryParams().get("time"));
        if (!time.isBefore(clock.instant())) {
            throw ApiError.badRequest("time is in the future: nothing is recorded there yet");
        }
        relocator.at(id, a -> snapshots.at(a, time)).onSuccess(jpeg -> {
            ctx.response().putHeader("Content-Type", "image/jpeg")
                    .putHeader("X-Recording-Time", jpeg.time().toString())
                    .putHeader("Cache-Control", jpeg.sealed() ? IMMUTABLE : "no-cache")
                    .end(Buffer.buffer(jpeg.jpeg()));
        }).onFailure(ctx::fail);
    }

    private void control(RoutingContext ctx) {
        UUID id = RequestReader.pathUuid(ctx, "id");
        JsonObject body = RequestReader.body(ctx, false);
        String action = RequestReader.string(body, "action", 16);
        if (action == null || !ACTIONS.contains(action)) {
            throw new ApiError(400, "'action' must be one of " + String.join(", ", ACTIONS),
                    new JsonObject().put("actions", new JsonArray(ACTIONS)));
        }
        Instant time = RequestReader.instant("timestamp", RequestReader.string(body, "timestamp", 64));
        Double asked = RequestReader.number(body, "speed", -8, 8);
        String type = RequestReader.string(body, "playlistType", 8);
        if (type != null && !type.equals("event") && !type.equals("vod")) {
            throw new ApiError(400, "'playlistType' must be one of event, vod",
                    new JsonObject().put("playlistTypes", new JsonArray().add("event").add("vod")));
        }
        boolean vod = "vod".equals(type);
        Speed speed = asked == null ? Speed.NORMAL : speed(asked, number(asked));
        if (!time.isBefore(clock.instant())) {
            throw ApiError.badRequest("timestamp is in the future: nothing is recorded there yet");
        }
        if (action.equals("seek")) {
            seeks.increment();
        }
        boolean paused = action.equals("pause");
        // Playing answers only a playlist that plays: it is planned now (its first segments with it), so
        // a moment where nothing is recorded fails here, not when the player loads it.
        relocator.at(id, a -> paused ? Future.succeededFuture()
                : vod ? playback.vodPlaylist(a, playback.rendition(speed), time, null)
                : playback.playlist(a, playback.rendition(speed), time, null)).onSuccess(p -> ctx.response()
                .putHeader("Content-Type", "application/json; charset=utf-8").putHeader("Cache-Control", "no-store")
                .end(new JsonObject().put("status", paused ? "paused" : "playing").put("currentTime", time.toString())
                        .put("speed", speed.factor).put("playlistUrl", playlistUrl(id, time, speed, Principal.of(ctx).username())
                                + (vod ? "&playlistType=vod" : paused ? "" : "&since=" + clock.millis())).encode()))
                .onFailure(ctx::fail);
    }

    /**
     * {@code since}: when the player began this playlist (epoch ms, as a control answer's URL gives it),
     * so that any instance lists as far as the player can have got; absent: null.
     */
    private Instant since(String param) {
        if (param == null) {
            return null;
        }
        long ms;
        try {
            ms = Long.parseLong(param);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("since must be a time in epoch milliseconds, as a control answer's playlistUrl gives it");
        }
        if (ms <= 0 || ms > clock.millis()) {
            throw ApiError.badRequest("since must be a past time in epoch milliseconds");
        }
        return Instant.ofEpochMilli(ms);
    }

    /**
     * The playlist URL of a control answer, signed for the user so that a stock player loads it with no
     * headers (see {@link UrlSigner}).
     */
    private String playlistUrl(UUID camera, Instant time, Speed speed, String user) {
        String path = "/api/v1/cameras/" + camera + "/playback/stream";
        return path + "?time=" + URLEncoder.encode(time.toString(), StandardCharsets.UTF_8) + "&speed=" + speed.token()
                + "&format=hls&" + signer.sign(path, user, signer.expiry(signedUrlTtl));
    }

    /**
     * Signs every segment URI of a playlist (relative to {@code .../playback/}) for the user. The expiry
     * is {@code AUTH_SIGNED_URL_TTL} from now, rounded up to 5 minutes: far beyond any reload, so a
     * listed segment never expires before the player fetches it.
     */
    private String signSegments(String playlist, UUID camera, String user) {
        String base = "/api/v1/cameras/" + camera + "/playback/";
        Instant expires = signer.expiry(signedUrlTtl);
        StringBuilder out = new StringBuilder(playlist.length() + 256);
        for (String line : playlist.split("\n", -1)) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.append(line).append('?').append(signer.sign(base + line, user, expires));
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }
}
