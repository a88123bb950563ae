package com.cns.xprotect.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * XProtectSimulator is a stand-alone fake Milestone XProtect that speaks the real wire protocols
 * from its own code: the IDP token endpoint, the RESTful Config API, the ServerCommandService SOAP
 * login, and one listener per recording server. Tests script it in process ({@link #faults()},
 * {@link #expireTokens()}, {@link #requests()}); a separate process is scripted through
 * {@code /simulator/*}.
 */
public final class XProtectSimulator {
    private final Vertx vertx;
    private final SimulatorOptions options;
    private final SimulatedSite site;
    private final TokenRegistry tokens;
    private final FaultInjector faults = new FaultInjector();
    private final RequestLog requests = new RequestLog();
    private final IdpEndpoint idp;
    private final ManualRecordings manualRecordings;
    private final RecordingHistory history;
    private final RecordedFrames frames;
    private volatile VideoClip clip;
    private volatile long frameServiceMs;
    private volatile long oneWayLatencyMs;
    private volatile boolean imageServerDown;
    private final java.util.Set<io.vertx.core.net.NetSocket> imageServerSockets =
            java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, long[]> brokenFrames = new java.util.concurrent.ConcurrentHashMap<>();
    private final ImageServerFaults imageServerFaults = new ImageServerFaults() {
        @Override
        public boolean down() {
            return imageServerDown;
        }

        @Override
        public boolean broken(String camera, long timeMs) {
            long[] r = brokenFrames.get(camera);
            return r != null && timeMs >= r[0] && timeMs < r[1];
        }
    };
    private final Map<String, RecorderServer> recorderServers = new LinkedHashMap<>();
    private HttpServer management;
    private Router managementRouter;
    private int managementPort;
    private String baseUrl;

    public XProtectSimulator(Vertx vertx, SimulatorOptions options) {
        this(vertx, options, Clock.systemUTC());
    }

    /** A simulator on {@code clock}: tokens expire and manual recordings time out by it. */
    public XProtectSimulator(Vertx vertx, SimulatorOptions options, Clock clock) {
        this.vertx = vertx;
        this.options = options;
        this.site = new SimulatedSite(options);
        this.tokens = new TokenRegistry(clock, options.idpTokenTtl(), options.vmsTokenTtl());
        this.idp = new IdpEndpoint(tokens, options.username(), options.password());
        this.manualRecordings = new ManualRecordings(clock, site);
        this.history = new RecordingHistory(options.seed(), clock, site, manualRecordings);
        this.frames = new RecordedFrames(history, site);
    }

    /** Starts the recording servers, then the management server; the future holds the base URL. */
    public Future<String> start() {
        HttpServerOptions serverOptions = serverOptions(options.port());
        List<Future<Void>> started = new ArrayList<>();
        for (SimulatedSite.Recorder r : site.recorders()) {
            RecorderServer rs = new RecorderServer(vertx, r, serverOptions(0), options.recorderHost(),
                    new RecorderCommandService(site, r, tokens, manualRecordings, new SequenceQueries(history),
                            new JpegQueries(frames, this::clip)),
                    List.of(this::logRequest, ctx -> faults.handle(vertx, ctx)),
                    socket -> {
                        imageServerSockets.add(socket);
                        socket.closeHandler(v -> imageServerSockets.remove(socket));
                        return new ImageServerSession(vertx, socket, site, r, tokens, frames, clip(), frameServiceMs,
                                oneWayLatencyMs, imageServerFaults);
                    });
            recorderServers.put(r.id, rs);
            started.add(rs.start());
        }
        started.add(loadVideo());
        return Future.all(started).compose(v -> {
            Router router = Router.router(vertx);
            managementRouter = router;
            management = vertx.createHttpServer(serverOptions).requestHandler(router);
            return management.listen(options.port(), options.host()).map(s -> {
                String host = options.host().equals("0.0.0.0") ? "127.0.0.1" : options.host();
                managementPort = s.actualPort();
                baseUrl = (options.tls() ? "https" : "http") + "://" + host + ":" + managementPort;
                mountRoutes(router);
                return baseUrl;
            });
        });
    }

    /**
     * XProtect goes away for {@code length}, as when its servers or the network to them fail: the
     * management server and every recording server close their listeners and connections (new ones are
     * refused), then all come back on the same ports with the same state (tokens, manual recordings).
     * The future completes when it is back.
     */
    public Future<Void> outage(Duration length) {
        List<Future<Void>> stops = new ArrayList<>();
        recorderServers.values().forEach(r -> stops.add(r.stop()));
        stops.add(management.close());
        dropImageServerConnections();
        io.vertx.core.Promise<Void> back = io.vertx.core.Promise.promise();
        Future.join(stops).onComplete(stopped -> vertx.setTimer(Math.max(1, length.toMillis()), t -> {
            List<Future<Void>> starts = new ArrayList<>();
            recorderServers.values().forEach(r -> starts.add(r.start()));
            management = vertx.createHttpServer(serverOptions(managementPort)).requestHandler(managementRouter);
            starts.add(management.listen(managementPort, options.host()).mapEmpty());
            Future.all(starts).<Void>mapEmpty().onComplete(back);
        }));
        return back.future();
    }

    public Future<Void> stop() {
        List<Future<Void>> stops = new ArrayList<>();
        recorderServers.values().forEach(r -> stops.add(r.stop()));
        if (management != null) {
            stops.add(management.close());
        }
        return Future.join(stops).mapEmpty();
    }

    private HttpServerOptions serverOptions(int port) {
        // HTTP/1.1 only, as XProtect's own servers answer (and Vert.x's h2c upgrade garbles large answers).
        HttpServerOptions o = new HttpServerOptions().setPort(port).setHost(options.host())
                .setHttp2ClearTextEnabled(false);
        if (options.tls()) {
            o.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertValue(Buffer.buffer(resource("tls/server.pem")))
                    .setKeyValue(Buffer.buffer(resource("tls/server-key.pem"))));
        }
        return o;
    }

    private void mountRoutes(Router router) {
        router.route().handler(BodyHandler.create().setBodyLimit(1 << 20));
        mountControl(router);
        router.route().handler(this::logRequest);
        router.route().handler(ctx -> faults.handle(vertx, ctx));
        idp.mount(router, baseUrl);
        new RestConfigApi(site, tokens).mount(router);
        new ServerCommandService(tokens).mount(router);
    }

    private void logRequest(RoutingContext ctx) {
        String action = ctx.request().getHeader("SOAPAction");
        if (action == null && ctx.request().path().toLowerCase().endsWith("/connect/token")) {
            action = ctx.request().getFormAttribute("grant_type");
        }
        requests.add(new RequestLog.Entry(System.currentTimeMillis(), ctx.request().method().name(),
                ctx.request().uri(), action));
        ctx.next();
    }

    private void mountControl(Router router) {
        router.post("/simulator/faults").handler(ctx -> {
            try {
                faults.add(FaultInjector.Fault.fromJson(ctx.body().asJsonObject()));
                ctx.response().setStatusCode(204).end();
            } catch (RuntimeException e) {
                ctx.response().setStatusCode(400).end(String.valueOf(e.getMessage()));
            }
        });
        router.get("/simulator/faults").handler(ctx -> ctx.json(faults.toJson()));
        router.delete("/simulator/faults").handler(ctx -> {
            faults.clear();
            ctx.response().setStatusCode(204).end();
        });
        router.post("/simulator/tokens/expire").handler(ctx -> {
            expireTokens();
            ctx.response().setStatusCode(204).end();
        });
        router.post("/simulator/logins/reject").handler(ctx -> {
            rejectLogins(ctx.body().asJsonObject() == null || ctx.body().asJsonObject().getBoolean("reject", true));
            ctx.response().setStatusCode(204).end();
        });
        router.post("/simulator/outage").handler(ctx -> {
            long seconds;
            try {
                seconds = Long.parseLong(ctx.request().getParam("seconds", "30"));
            } catch (NumberFormatException e) {
                ctx.response().setStatusCode(400).end("seconds must be a whole number");
                return;
            }
            // Answered first: the outage closes this very listener.
            ctx.response().setStatusCode(202).end().onComplete(v -> outage(Duration.ofSeconds(seconds)));
        });
        router.get("/simulator/requests").handler(ctx -> ctx.json(requests.toJson()));
        router.delete("/simulator/requests").handler(ctx -> {
            requests.clear();
            ctx.response().setStatusCode(204).end();
        });
        router.get("/simulator/tls/ca.pem").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/x-pem-file").end(caCertificatePem()));
        router.post("/simulator/recorders/:id/:action").handler(ctx -> {
            RecorderServer rs = recorderServers.get(ctx.pathParam("id"));
            if (rs == null) {
                ctx.response().setStatusCode(404).end();
                return;
            }
            Future<Void> f = "stop".equals(ctx.pathParam("action")) ? rs.stop() : rs.start();
            f.onComplete(ar -> ctx.response().setStatusCode(ar.succeeded() ? 204 : 500).end());
        });
        router.post("/simulator/cameras/:id/move").handler(ctx -> {
            String to = ctx.body().asJsonObject() == null ? null : ctx.body().asJsonObject().getString("recorderId");
            ctx.response().setStatusCode(to != null && site.move(ctx.pathParam("id"), to) ? 204 : 404).end();
        });
        router.post("/simulator/cameras/:id/rename").handler(ctx -> {
            if (site.camera(ctx.pathParam("id")) == null) {
                ctx.response().setStatusCode(404).end();
                return;
            }
            site.rename(ctx.pathParam("id"), ctx.body().asJsonObject().getString("name"));
            ctx.response().setStatusCode(204).end();
        });
        router.get("/simulator/cameras/:id/manual-recording").handler(ctx -> {
            String id = ctx.pathParam("id");
            io.vertx.core.json.JsonArray spans = new io.vertx.core.json.JsonArray();
            manualRecordings.spans(id).forEach(s -> spans.add(new JsonObject().put("begin", s.begin().toString())
                    .put("end", s.end().toString())));
            ctx.json(new JsonObject().put("isManualRecording", manualRecordings.isRecording(id)).put("spans", spans));
        });
        router.post("/simulator/cameras/:id/manual-recording/stop").handler(ctx -> {
            manualRecordings.stop(ctx.pathParam("id"));
            ctx.response().setStatusCode(204).end();
        });
        router.get("/simulator/site").handler(ctx -> ctx.json(new JsonObject()
                .put("cameras", site.cameras().size()).put("recorders", site.recorders().size())));
    }

    public String baseUrl() {
        return baseUrl;
    }

    public SimulatedSite site() {
        return site;
    }

    /** The recorders' manual-recording state, as an operator at the Smart Client would see it. */
    public ManualRecordings manualRecordings() {
        return manualRecordings;
    }

    /** The H.264 the recorders serve; null (ImageServer then refuses to connect) if GStreamer could not make it. */
    private VideoClip clip() {
        return clip;
    }

    /** Makes the recorders' video with GStreamer, once, on a worker thread (it takes about a second). */
    private Future<Void> loadVideo() {
        return vertx.executeBlocking(() -> VideoClip.load(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                "cns-simulator-video"), options.hdCameras() > 0)).map(c -> {
                    frames.bFrames(c.h264BFrames());
                    clip = c;
                    return (Void) null;
                }).recover(e -> {
                    System.err.println("XProtect simulator: no video for ImageServer: " + e.getMessage());
                    return Future.succeededFuture();
                });
    }

    /** How long a recorder takes to produce each frame it sends over ImageServer (service time). */
    public void frameServiceTime(long ms) {
        this.frameServiceMs = ms;
    }

    /**
     * One-way network latency between the gateway and the recorders' ImageServer, for connections opened
     * from now on (HTTP latency is a fault: {@code faults().latency(...)}).
     */
    public void imageServerLatency(long oneWayMs) {
        this.oneWayLatencyMs = oneWayMs;
    }

    /**
     * Takes every recorder's ImageServer down (each request closes its connection, as a recorder that
     * stopped would) or back up; the SOAP services stay as they are.
     */
    public void imageServerDown(boolean down) {
        this.imageServerDown = down;
    }

    /** ImageServer connections open now, on every recorder (tests check that a client closes its own). */
    public int openImageServerConnections() {
        return imageServerSockets.size();
    }

    /**
     * Closes every open ImageServer connection, as a recorder does with connections idle too long or
     * when it restarts; new connections are accepted as before.
     */
    public void dropImageServerConnections() {
        List.copyOf(imageServerSockets).forEach(io.vertx.core.net.NetSocket::close);
    }

    /**
     * Makes every sequence of a camera resume mid-GOP (its first frames, before the second keyframe, are
     * missing), as a recording that starts without a prebuffer would; {@code false} restores it.
     */
    public void resumeMidGop(String cameraId, boolean on) {
        frames.resumeMidGop(cameraId, on);
    }

    /**
     * Damages a camera's recorded frames in [fromMs, toMs): ImageServer sends them with GenericByteData
     * headers that claim more bytes than follow (a damaged recording); {@code toMs <= fromMs} repairs them.
     */
    public void brokenFrames(String cameraId, long fromMs, long toMs) {
        if (toMs <= fromMs) {
            brokenFrames.remove(cameraId);
        } else {
            brokenFrames.put(cameraId, new long[] {fromMs, toMs});
        }
    }

    /**
     * The picture times of a camera's recorded frames in [fromMs, toMs), in the order ImageServer sends
     * them (decode order), for tests that check what a client made of them.
     */
    public java.util.List<Long> recordedFrameTimes(String cameraId, long fromMs, long toMs) {
        java.util.List<Long> out = new java.util.ArrayList<>();
        RecordedFrames.Frame f = frames.keyframeAtOrBefore(cameraId, fromMs);
        if (f == null) {
            f = frames.atOrAfter(cameraId, fromMs);
        }
        while (f != null && !(f.keyframe() && f.timeMs() >= toMs)) {
            if (f.timeMs() >= fromMs && f.timeMs() < toMs) {
                out.add(f.timeMs());
            }
            f = frames.after(cameraId, f);
        }
        return out;
    }

    /** The picture times of a camera's recorded keyframes in [fromMs, toMs), in order. */
    public java.util.List<Long> recordedKeyframeTimes(String cameraId, long fromMs, long toMs) {
        java.util.List<Long> out = new java.util.ArrayList<>();
        RecordedFrames.Frame f = frames.keyframeAtOrBefore(cameraId, fromMs);
        if (f == null) {
            f = frames.atOrAfter(cameraId, fromMs);
        }
        for (; f != null && f.timeMs() < toMs; f = frames.keyframeAfter(cameraId, f)) {
            if (f.timeMs() >= fromMs) {
                out.add(f.timeMs());
            }
        }
        return out;
    }

    /** Where each camera's frames lie (for tests of the simulator itself). */
    RecordedFrames frames() {
        return frames;
    }

    /** Every camera's recorded past, as its recording server answers sequence queries. */
    public RecordingHistory history() {
        return history;
    }

    public FaultInjector faults() {
        return faults;
    }

    public RequestLog requests() {
        return requests;
    }

    /** Every token issued so far stops working, as if each had reached its expiry. */
    public void expireTokens() {
        tokens.expireAll();
    }

    public void tokenTtls(Duration idp, Duration vms) {
        tokens.ttls(idp, vms);
    }

    /** The IDP refuses every password grant (as with a changed password) until told otherwise. */
    public void rejectLogins(boolean reject) {
        idp.rejectLogins(reject);
    }

    /**
     * The ports the recording servers should listen on (by recorder id), before {@link #start}: a
     * restarted embedded simulator keeps its recorders where the gateway last saw them. A port that is
     * taken is replaced by a free one.
     */
    public XProtectSimulator preferRecorderPorts(Map<String, Integer> ports) {
        site.recorders().forEach(r -> r.port = ports.getOrDefault(r.id, 0));
        return this;
    }

    /** The port each recording server listens on (by recorder id), once started. */
    public Map<String, Integer> recorderPorts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        site.recorders().forEach(r -> out.put(r.id, r.port));
        return out;
    }

    /** Moves a camera to another recording server, as failover does (see {@link SimulatedSite#move}). */
    public boolean moveCamera(String cameraId, String recorderId) {
        return site.move(cameraId, recorderId);
    }

    public Future<Void> stopRecorder(String recorderId) {
        return recorderServers.get(recorderId).stop();
    }

    public Future<Void> startRecorder(String recorderId) {
        return recorderServers.get(recorderId).start();
    }

    /** The PEM of the CA that signed the simulator's https certificate. */
    public static String caCertificatePem() {
        return resource("tls/ca.pem");
    }

    private static String resource(String name) {
        try (InputStream in = XProtectSimulator.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
