package com.cns.gateway;

import com.cns.gateway.api.ApiRouter;
import com.cns.gateway.api.auth.Access;
import com.cns.gateway.api.auth.AuditLog;
import com.cns.gateway.api.auth.AuthRoutes;
import com.cns.gateway.api.auth.AuthService;
import com.cns.gateway.api.auth.CachingVerifier;
import com.cns.gateway.api.auth.FirstAdmin;
import com.cns.gateway.api.auth.LocalTokens;
import com.cns.gateway.api.auth.OidcTokens;
import com.cns.gateway.api.auth.TokenVerifier;
import com.cns.gateway.api.auth.LoginLimiter;
import com.cns.gateway.api.auth.PasswordHasher;
import com.cns.gateway.api.auth.RateLimiter;
import com.cns.gateway.api.auth.RefreshTokens;
import com.cns.gateway.api.auth.SigningKeys;
import com.cns.gateway.api.auth.UrlSigner;
import com.cns.gateway.api.auth.UserRepository;
import com.cns.gateway.config.AuthSettings;
import com.cns.gateway.api.cameras.CameraRepository;
import com.cns.gateway.api.cameras.CameraRoutes;
import com.cns.gateway.api.cameras.CameraService;
import com.cns.gateway.api.cameras.MilestoneCameraMapper;
import com.cns.gateway.api.cameras.RecorderRelocator;
import com.cns.gateway.api.db.DatabaseMigrator;
import com.cns.gateway.api.discovery.CameraStatusRefresher;
import com.cns.gateway.api.discovery.MilestoneRoutes;
import com.cns.gateway.api.discovery.SyncHistoryRepository;
import com.cns.gateway.api.discovery.SyncJobRunner;
import com.cns.gateway.api.events.EventHub;
import com.cns.gateway.api.http.ClientAddresses;
import com.cns.gateway.api.playback.PlaybackRoutes;
import com.cns.gateway.api.query.RecordingQueryRoutes;
import com.cns.gateway.config.PlaybackSettings;
import com.cns.gateway.media.hls.SealingRule;
import com.cns.gateway.media.mjpeg.MjpegStreamer;
import com.cns.gateway.media.cache.SegmentCache;
import com.cns.gateway.media.playback.KeyframeProducer;
import com.cns.gateway.media.playback.PlaybackService;
import com.cns.gateway.media.playback.EncoderChoice;
import com.cns.gateway.media.playback.SegmentEncoders;
import com.cns.gateway.media.playback.SegmentProducer;
import com.cns.gateway.media.playback.SegmentWindowPlanner;
import com.cns.gateway.media.snapshot.SnapshotService;
import com.cns.gateway.media.playback.RecorderFrames;
import com.cns.gateway.milestone.XProtectHttp;
import com.cns.gateway.milestone.imageserver.ImageServerPool;
import com.cns.gateway.recordingindex.KeyframeIndex;
import com.cns.gateway.api.recordings.RecordingAutoStopScheduler;
import com.cns.gateway.api.recordings.RecordingRoutes;
import com.cns.gateway.api.recordings.RecordingService;
import com.cns.gateway.api.recordings.RecordingSessionRepository;
import com.cns.gateway.api.recordings.SessionLifecycle;
import com.cns.gateway.api.health.HealthRoutes;
import com.cns.gateway.config.DatabaseUrl;
import com.cns.gateway.config.GatewayConfig;
import com.cns.gateway.config.MilestoneSettings;
import com.cns.gateway.config.RecordingSettings;
import com.cns.gateway.embedded.EmbeddedPorts;
import com.cns.gateway.embedded.EmbeddedPostgres;
import com.cns.gateway.milestone.XProtectClient;
import com.cns.gateway.monitoring.GatewayMeterRegistry;
import com.cns.gateway.recordingindex.RecordingIndex;
import com.cns.gateway.recordingindex.SequenceBlockStore;
import com.cns.gateway.recordingindex.XProtectSequenceSource;
import com.cns.gateway.transcoder.GStreamerRuntime;
import com.cns.gateway.transcoder.transcode.PictureTranscoder;
import com.cns.xprotect.simulator.SimulatorOptions;
import com.cns.xprotect.simulator.XProtectSimulator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import com.cns.gateway.api.exports.ExportRepository;
import com.cns.gateway.api.exports.ExportRoutes;
import com.cns.gateway.api.exports.ExportService;
import com.cns.gateway.api.exports.ManifestSigner;
import com.cns.gateway.media.export.ClipExporter;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * GatewayApp is the composition root: from one {@link GatewayConfig} it builds every component of a
 * gateway instance (database, XProtect client or embedded simulator, services, routes, HTTP server)
 * and starts them in one chain.
 */
public final class GatewayApp {
    private static final Logger LOG = Logger.getLogger(GatewayApp.class.getName());
    /** A camera whose recorder is unreachable is looked up in XProtect again at most this often. */
    private static final Duration RELOCATE_INTERVAL = Duration.ofSeconds(30);
    static final String EMBEDDED_DATABASE = "cns_gateway";

    private final GatewayConfig config;
    private final Clock clock;
    private final PrometheusMeterRegistry registry;
    private final Vertx vertx;
    private EmbeddedPostgres embeddedPostgres;
    private XProtectSimulator simulator;
    /** The embedded simulator's own Vert.x: it stands for a remote server and stays out of the gateway's meters. */
    private final Vertx simulatorVertx;
    private XProtectClient xprotect;
    private ImageServerPool imageServers;
    private ImageServerPool jpegImageServers;
    private io.vertx.core.http.HttpServer metricsServer;
    private Pool pool;
    private String httpDeployment;
    private CameraStatusRefresher statusRefresher;
    private long syncSweep = -1;
    private EventHub events;
    private RecordingAutoStopScheduler recordingScheduler;
    private ExportService exports;
    private PgConnectOptions pgOptions;
    private SigningKeys signingKeys;
    private com.cns.gateway.api.http.Routes.Table routes;
    private UrlSigner urlSigner;
    private OidcTokens oidc;

    public GatewayApp(GatewayConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.registry = GatewayMeterRegistry.create();
        ExpectedFailureLogFilter.install();
        this.vertx = GatewayMeterRegistry.vertx(registry, new VertxOptions());
        this.simulatorVertx = config.milestone().baseUrl().isPresent() ? null : Vertx.vertx();
    }

    /** Starts everything; the future holds the HTTP port actually bound. */
    public Future<Integer> start() {
        return database()
                .compose(db -> vertx.executeBlocking(() -> DatabaseMigrator.migrate(db.jdbcUrl(), db.user(), db.password()))
                        .map(version -> {
                            pgOptions = new PgConnectOptions().setHost(db.host()).setPort(db.port())
                                    .setDatabase(db.database()).setUser(db.user())
                                    .setPassword(db.password() == null ? "" : db.password());
                            if (db.sslMode() != null) {
                                // As libpq: require (and allow, prefer) encrypt without checking the
                                // certificate; verify-ca and verify-full check it against the JVM's trust store.
                                pgOptions.setSslMode(io.vertx.pgclient.SslMode.of(db.sslMode()))
                                        .setSslOptions(new io.vertx.core.net.ClientSSLOptions()
                                                .setTrustAll(!db.sslMode().startsWith("verify"))
                                                .setHostnameVerificationAlgorithm(
                                                        db.sslMode().equals("verify-full") ? "HTTPS" : ""));
                            }
                            pool = PgBuilder.pool()
                                    .with(new PoolOptions().setMaxSize(config.database().maxConnections()))
                                    .connectingTo(pgOptions).using(vertx).build();
                            io.micrometer.core.instrument.Gauge.builder("gateway_db_pool_connections", pool, Pool::size)
                                    .description("Connections the PostgreSQL pool holds").register(registry);
                            io.micrometer.core.instrument.Gauge.builder("gateway_db_pool_max_connections",
                                    config.database(), d -> d.maxConnections())
                                    .description("Largest size of the PostgreSQL pool (DB_MAX_CONNECTIONS)")
                                    .register(registry);
                            LOG.info("Database " + db + " is at schema version " + version);
                            return version;
                        }))
                .compose(version -> security().map(version))
                .compose(version -> milestone().compose(ms -> vertx.executeBlocking(
                                () -> GStreamerRuntime.init(GStreamerRuntime.REQUIRED_ELEMENTS))
                        .compose(gst -> {
                            if (!gst.ready()) {
                                LOG.warning("Transcoder degraded: " + gst.error());
                            }
                            return listen(ms, version, gst);
                        })));
    }

    /** The keys tokens and URLs are signed with, and the first admin, before anyone can sign in. */
    private Future<Void> security() {
        AuthSettings as = config.auth();
        signingKeys = new SigningKeys(vertx, pool, as.signingKeyFile(), as.keyRotation(), as.accessTokenTtl(), clock);
        urlSigner = new UrlSigner(clock);
        FirstAdmin first = new FirstAdmin(vertx, new UserRepository(pool), new PasswordHasher(), clock);
        Future<Void> keys = signingKeys.start().compose(v -> urlSigner.start(pool, as.urlSigningSecret()));
        if (as.mode() == AuthSettings.Mode.OIDC) {
            // Users are the identity provider's; discovery goes on in the background if it is not reachable yet.
            oidc = new OidcTokens(vertx, as);
            return keys.onSuccess(v -> oidc.start());
        }
        return keys.compose(v -> first.ensure(as.adminPassword(),
                config.dataDir().resolve("initial-admin-password")));
    }

    private Future<DatabaseUrl> database() {
        if (config.database().url().isPresent()) {
            return Future.succeededFuture(config.database().url().get());
        }
        return vertx.executeBlocking(() -> {
            embeddedPostgres = EmbeddedPostgres.start(config.dataDir().resolve("postgres"), true);
            embeddedPostgres.createDatabase(EMBEDDED_DATABASE);
            return new DatabaseUrl("127.0.0.1", embeddedPostgres.port(), EMBEDDED_DATABASE, EmbeddedPostgres.USER, null);
        });
    }

    /** The configured XProtect, or the embedded simulator when none is configured. */
    private Future<MilestoneSettings> milestone() {
        MilestoneSettings s = config.milestone();
        if (s.baseUrl().isPresent()) {
            LOG.info("Using XProtect at " + s.baseUrl().get() + " as user " + s.username());
            return Future.succeededFuture(s);
        }
        SimulatorOptions o = SimulatorOptions.defaults().withCameras(config.simulator().cameras(),
                config.simulator().recordingServers());
        // The ports file is read and written on a worker thread, never on an event loop.
        return vertx.executeBlocking(() -> EmbeddedPorts.read(portsFile())).compose(ports -> {
            simulator = new XProtectSimulator(simulatorVertx, o).preferRecorderPorts(ports);
            return simulator.start();
        }).compose(url -> vertx.executeBlocking(() -> {
            EmbeddedPorts.write(portsFile(), simulator.recorderPorts());
            return url;
        })).map(url -> {
            LOG.info("No MILESTONE_BASE_URL configured: using the embedded XProtect simulator at " + url + " ("
                    + o.cameras() + " cameras on " + o.recorders() + " recording servers)");
            return new MilestoneSettings(java.util.Optional.of(URI.create(url)), o.username(), o.password(),
                    s.authType(), s.idpTokenUrl(), s.sessionTimeout(), s.maxConnections(), s.retryAttempts(),
                    s.retryDelay(), s.requestTimeout(), s.circuitFailureThreshold(), s.circuitOpenDuration(), s.tls(),
                    s.recorderOverrides(), s.rtspBaseUrl(), s.catalogCacheTtl(), s.statusProbeInterval());
        });
    }

    /**
     * Where the embedded simulator's recorder ports are kept: cameras store their recorder's address at
     * import, so a restart must find the recorders where they were.
     */
    private Path portsFile() {
        return config.dataDir().resolve("embedded-simulator-ports.properties");
    }

    private Future<Integer> listen(MilestoneSettings ms, String schemaVersion, GStreamerRuntime.Status gst) {
        xprotect = new XProtectClient(vertx, ms, ms.baseUrl().orElseThrow(), registry, clock);
        CameraRepository cameras = new CameraRepository(pool);
        events = new EventHub(vertx, pool, pgOptions, cameras::source);
        SyncHistoryRepository history = new SyncHistoryRepository(pool);
        RecordingSessionRepository sessions = new RecordingSessionRepository(pool);
        MilestoneCameraMapper mapper = new MilestoneCameraMapper(ms.rtspBaseUrl());
        CameraService cameraService = new CameraService(cameras, xprotect.cameras(), xprotect.reachability(), mapper,
                clock);
        SyncJobRunner syncJobs = new SyncJobRunner(vertx, config.instanceId(), cameras, history, xprotect.cameras(),
                xprotect.reachability(), mapper, clock);
        RecordingSettings rs = config.recording();
        SessionLifecycle lifecycle = new SessionLifecycle(sessions, xprotect.recorders(), events, rs,
                config.instanceId(), clock, registry);
        RecordingService recordings = new RecordingService(cameras, sessions, lifecycle, xprotect.recorders(), events,
                rs, config.instanceId(), clock, registry);
        recordingScheduler = new RecordingAutoStopScheduler(sessions, lifecycle, events, rs, clock, registry);
        RecorderRelocator relocator = new RecorderRelocator(cameras, cameraService::sync, RELOCATE_INTERVAL,
                Ticker.systemTicker());

        Router root = Router.router(vertx);
        AuthSettings as = config.auth();
        AuditLog audit = new AuditLog(pool, config.instanceId(), clock,
                new ClientAddresses(config.http().trustedProxies()));
        LocalTokens localTokens = new LocalTokens(signingKeys, as.accessTokenTtl());
        // Verified tokens are remembered until they expire: JWT checks on every segment halved cached serving.
        TokenVerifier verifier = new CachingVerifier(oidc != null ? oidc : localTokens, Clock.systemUTC());
        Access access = new Access(verifier, urlSigner, new RateLimiter(as.requestsPerMinute()), audit,
                cameras::source);
        events.tokens(verifier);
        AuthService authService = new AuthService(vertx, new UserRepository(pool),
                new RefreshTokens(pool, as.refreshTokenTtl(), clock), localTokens, new PasswordHasher(),
                new LoginLimiter(as.loginMaxFailures(), as.loginLockout(), Ticker.systemTicker()), audit,
                as.passwordMinLength(), clock);
        RecordingIndex index = new RecordingIndex(vertx, new XProtectSequenceSource(xprotect.recorders(), 1000),
                new SequenceBlockStore(pool), config.recordingIndex(), clock, registry);
        PlaybackSettings ps = config.playback();
        imageServers = new ImageServerPool(vertx, XProtectHttp.netClient(vertx, ms, false),
                XProtectHttp.netClient(vertx, ms, true), xprotect.vmsTokens(), ps.imageServerConnections(),
                ps.imageServerTimeout(), ps.imageServerInFlight());
        // MJPEG asks the recorder for JPEG frames: connections of their own (alwaysstdjpeg), one per stream.
        jpegImageServers = new ImageServerPool(vertx, XProtectHttp.netClient(vertx, ms, false),
                XProtectHttp.netClient(vertx, ms, true), xprotect.vmsTokens(), ps.imageServerConnections(),
                ps.imageServerTimeout(), 1, true);
        MjpegStreamer mjpeg = new MjpegStreamer(vertx, jpegImageServers,
                Math.max(1, config.recordingIndex().gapTolerance().toMillis()), ps.maxGop().toMillis());
        // Encoders block (mux, hash, decode and encode): they get workers of their own, one per core by default;
        // remuxes their own, so that a 1x segment never waits for a transcode.
        SegmentEncoders encoders = new SegmentEncoders(
                vertx.createSharedWorkerExecutor("cns-segment-muxers", Runtime.getRuntime().availableProcessors()),
                vertx.createSharedWorkerExecutor("cns-segment-encoders", ps.transcodeWorkers()),
                ps.transcodeWorkers(), ps.maxProductions());
        RecorderFrames frames = new RecorderFrames(imageServers);
        EncoderChoice encoderChoice = EncoderChoice.timed(EncoderChoice.standard(PictureTranscoder.Settings.DEFAULT),
                registry);
        PictureTranscoder.bindTo(registry);
        SealingRule sealing = SealingRule.of(ps.seal());
        PlaybackService playback = new PlaybackService(vertx,
                new SegmentProducer(frames, encoderChoice, encoders,
                        Math.max(1, config.recordingIndex().gapTolerance().toMillis()), sealing, clock),
                new KeyframeProducer(frames, index::runs, encoderChoice, encoders, sealing, ps.maxWindow(), clock),
                encoders,
                new SegmentWindowPlanner(frames, index::runs, index::nextRecordingAtOrAfter, ps, clock, registry),
                new SegmentCache(ps.cacheBytes(), ps.maxProductions(), Ticker.systemTicker(), registry),
                new KeyframeIndex(1_000_000), ps, clock, registry);
        SnapshotService snapshots = new SnapshotService(index::sequences, xprotect.recorders()::jpegAtOrBefore,
                sealing, clock);
        // Exports walk whole ranges and write files: workers of their own, so they never hold up playback's encoders.
        WorkerExecutor exportWorkers = vertx.createSharedWorkerExecutor("cns-export-writers",
                config.exports().concurrency());
        exports = new ExportService(vertx, new ExportRepository(pool), cameras,
                new ClipExporter(vertx, frames, index::runs, exportWorkers,
                        ClipExporter.Settings.DEFAULT.withParallelWalks(config.exports().parallelWalks())),
                ManifestSigner.load(pool, clock), events, config.exports(), config.instanceId(), clock, registry);
        ExportRoutes exportRoutes = new ExportRoutes(exports, cameras, audit);
        routes = ApiRouter.mount(vertx, root, new ApiRouter.Parts(config.http().corsOrigins(), access, events,
                config.http().metricsPort().isEmpty() ? this::scrape : null, config.auth().metricsAuth()),
                new CameraRoutes(cameraService, cameras, List.of(
                        new PlaybackRoutes(cameras, relocator, playback, snapshots, mjpeg, urlSigner, as.signedUrlTtl(),
                                clock, registry),
                        new RecordingRoutes(recordings, relocator, rs.defaultDurationSeconds(), rs.maxDurationSeconds()),
                        new RecordingQueryRoutes(cameras, index, clock, registry),
                        exportRoutes)),
                new MilestoneRoutes(xprotect.cameras(), cameras, syncJobs, history, mapper),
                new HealthRoutes(pool, schemaVersion, xprotect.health(), gst),
                new AuthRoutes(authService, audit, config.auth().mode() == AuthSettings.Mode.LOCAL), exportRoutes);

        DashboardRoutes.mount(root);
        xprotect.health().start(vertx, ms.statusProbeInterval());
        statusRefresher = new CameraStatusRefresher(cameras, xprotect.reachability());
        statusRefresher.start(vertx, ms.statusProbeInterval());
        // Jobs whose owner died (its lease ran out) fail on any instance, at start and then every lease.
        Runnable sweepJobs = () -> history.failAbandoned(clock.instant(), clock.instant().minus(Duration.ofMinutes(10)))
                .onFailure(e -> LOG.fine("Sync job sweep: " + e.getMessage()));
        sweepJobs.run();
        syncSweep = vertx.setPeriodic(SyncJobRunner.LEASE.toMillis(), t -> sweepJobs.run());

        AtomicInteger bound = new AtomicInteger();
        Future<Void> metrics = Future.succeededFuture();
        if (config.http().metricsPort().isPresent()) {
            Router only = Router.router(vertx);
            only.get("/metrics").handler(this::scrape);
            // The scrape port is internal and plain HTTP, whatever the API's port speaks.
            metrics = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false))
                    .requestHandler(only)
                    .listen(config.http().metricsPort().getAsInt(), config.http().host()).map(server -> {
                        metricsServer = server;
                        LOG.info("Metrics on http://" + config.http().host() + ":" + server.actualPort() + "/metrics");
                        return null;
                    });
        }
        return metrics.compose(m -> events.start()).compose(v -> {
            recordingScheduler.start(vertx);
            exports.start();
            return vertx.deployVerticle(() -> new HttpServerVerticle(root, config.http(), bound),
                    new DeploymentOptions().setInstances(config.http().eventLoops()));
        }).map(deployment -> {
            httpDeployment = deployment;
            LOG.info("CNS Media Gateway (instance " + config.instanceId() + ") listening on "
                    + (config.http().tls() ? "https" : "http") + "://"
                    + config.http().host() + ":" + bound.get() + " on " + config.http().eventLoops() + " event loops");
            return bound.get();
        });
    }

    /** Every route the API declared, with the role it needs: what the security tests are generated from. */
    public List<com.cns.gateway.api.http.Routes.Spec> routes() {
        return routes == null ? List.of() : routes.specs();
    }

    /** The port {@code /metrics} is served on by itself, empty when it shares the API's port. */
    public java.util.OptionalInt metricsPort() {
        return metricsServer == null ? java.util.OptionalInt.empty()
                : java.util.OptionalInt.of(metricsServer.actualPort());
    }

    private void scrape(io.vertx.ext.web.RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
    }

    /** Stops the HTTP server, the background work, the simulator and the embedded database. */
    public Future<Void> stop() {
        Future<Void> f = httpDeployment == null ? Future.succeededFuture() : vertx.undeploy(httpDeployment);
        return f.compose(v -> {
            if (syncSweep >= 0) {
                vertx.cancelTimer(syncSweep);
            }
            if (xprotect != null) {
                xprotect.health().stop(vertx);
                if (imageServers != null) {
                    imageServers.closeAll();
                    jpegImageServers.closeAll();
                }
                if (metricsServer != null) {
                    metricsServer.close();
                }
                xprotect.close();
            }
            if (statusRefresher != null) {
                statusRefresher.stop(vertx);
            }
            if (signingKeys != null) {
                signingKeys.stop();
            }
            if (recordingScheduler != null) {
                recordingScheduler.stop(vertx);
            }
            if (exports != null) {
                exports.stop();
            }
            return events == null ? Future.succeededFuture() : events.stop();
        }).compose(v -> {
            return pool == null ? Future.succeededFuture() : pool.close();
        }).compose(v -> simulator == null ? Future.<Void>succeededFuture() : simulator.stop())
                .eventually(() -> simulatorVertx == null ? Future.succeededFuture() : simulatorVertx.close())
                .compose(v -> vertx.executeBlocking(() -> {
                    if (embeddedPostgres != null) {
                        embeddedPostgres.close();
                    }
                    return null;
                })).mapEmpty();
    }

    /**
     * Stops everything and closes Vert.x, blocking; called from a thread that is not one of Vert.x's
     * own (a shutdown hook, a test), since Vert.x cannot be closed from its own event loop.
     */
    public void close() throws Exception {
        try {
            stop().toCompletionStage().toCompletableFuture().get(2, java.util.concurrent.TimeUnit.MINUTES);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(1, java.util.concurrent.TimeUnit.MINUTES);
        }
    }
}
