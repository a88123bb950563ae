package com.cns.gateway.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ConfigLoader builds the {@link GatewayConfig} from environment variables (names from the plan's
 * Appendix A where they apply). Every bad value is reported at once in one {@link ConfigException}.
 */
public final class ConfigLoader {
    private static final List<String> HTTP_SCHEMES = List.of("http", "https");

    private ConfigLoader() {
    }

    private static TrustedProxies trustedProxies(EnvReader r) {
        try {
            return TrustedProxies.parse(r.string("HTTP_TRUSTED_PROXIES", ""));
        } catch (IllegalArgumentException e) {
            r.problem("HTTP_TRUSTED_PROXIES: " + e.getMessage());
            return TrustedProxies.none();
        }
    }

    public static GatewayConfig load(Map<String, String> env) {
        EnvReader r = new EnvReader(env);
        int metricsPort = r.integer("METRICS_PORT", -1, 0, 65535);
        HttpSettings http = new HttpSettings(r.string("HTTP_HOST", "0.0.0.0"), r.integer("HTTP_PORT", 8080, 0, 65535),
                r.integer("HTTP_EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), 1, 256),
                metricsPort < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(metricsPort),
                java.util.Arrays.stream(r.string("CORS_ALLOWED_ORIGINS", "*").split(",")).map(String::trim)
                        .filter(o -> !o.isEmpty()).toList(),
                r.duration("HTTP_IDLE_TIMEOUT", Duration.ofSeconds(60), "s", Duration.ofSeconds(1), Duration.ofHours(1)),
                r.duration("HTTP_HEADER_TIMEOUT", Duration.ofSeconds(10), "s", Duration.ofMillis(100), Duration.ofMinutes(5)),
                tlsFile(r, "HTTP_TLS_CERT_FILE"), tlsFile(r, "HTTP_TLS_KEY_FILE"), trustedProxies(r));
        if (http.tlsCertFile().isPresent() != http.tlsKeyFile().isPresent()) {
            r.problem("HTTP_TLS_CERT_FILE and HTTP_TLS_KEY_FILE go together: set both for HTTPS, or neither");
        }
        DatabaseSettings database = new DatabaseSettings(databaseUrl(r),
                r.integer("DB_MAX_CONNECTIONS", 20, 1, 1000));
        Path dataDir = r.path("DATA_DIR", Path.of("data")).toAbsolutePath().normalize();
        MilestoneSettings milestone = milestone(r);
        RecordingSettings recording = recording(r);
        RecordingIndexSettings index = new RecordingIndexSettings(
                Duration.ofMillis(r.integer("RECORDING_GAP_TOLERANCE_MS", 1000, 0, 3_600_000)),
                r.duration("PLAYBACK_CACHE_TTL", Duration.ofSeconds(300), "s", Duration.ZERO, Duration.ofDays(30)),
                r.duration("QUERY_LIVE_BLOCK_TTL", Duration.ofSeconds(3), "s", Duration.ZERO, Duration.ofMinutes(10)),
                r.integer("QUERY_CACHE_MAX_BLOCKS", 200_000, 100, 100_000_000));
        String instanceId = r.string("INSTANCE_ID", defaultInstanceId());
        SimulatorSettings simulator = new SimulatorSettings(r.integer("SIMULATOR_CAMERAS", 12, 1, 100_000),
                r.integer("SIMULATOR_RECORDING_SERVERS", 3, 1, 100));
        PlaybackSettings playback = new PlaybackSettings(
                Duration.ofMillis(r.integer("PLAYBACK_SEGMENT_MS", 4000, 1000, 30_000)),
                Duration.ofMillis(r.integer("PLAYBACK_MAX_GOP_MS", 10_000, 40, 60_000)),
                r.duration("PLAYBACK_MAX_WINDOW", Duration.ofHours(1), "s", Duration.ofSeconds(10), Duration.ofDays(1)),
                r.duration("PLAYBACK_SEAL_SECONDS", Duration.ofSeconds(30), "s", Duration.ZERO, Duration.ofDays(1)),
                r.integer("CACHE_SIZE_MB", 256, 1, 1_000_000) * 1024L * 1024L,
                r.integer("PLAYBACK_MAX_PRODUCTIONS", 48, 1, 10_000),
                r.integer("PLAYBACK_PREFETCH_SEGMENTS", 3, 0, 20),
                r.integer("MILESTONE_IMAGESERVER_CONNECTIONS", 32, 1, 1000),
                r.duration("MILESTONE_IMAGESERVER_TIMEOUT", Duration.ofSeconds(10), "s", Duration.ofMillis(100),
                        Duration.ofMinutes(5)),
                r.integer("MILESTONE_IMAGESERVER_IN_FLIGHT", 1, 1, 64),
                r.oneOf("PLAYBACK_SMOOTH_MAX_SPEED", 2, List.of(0.0, 0.5, 1.0, 2.0, 4.0, 8.0)),
                r.integer("PLAYBACK_TRANSCODE_WORKERS", Runtime.getRuntime().availableProcessors(), 1, 256));
        AuthSettings auth = auth(r);
        ExportSettings exports = new ExportSettings(
                r.path("EXPORT_DIR", dataDir.resolve("exports")).toAbsolutePath().normalize(),
                r.duration("EXPORT_MAX_DURATION", Duration.ofHours(24), "s", Duration.ofSeconds(1), Duration.ofDays(31)),
                r.integer("EXPORT_CONCURRENCY", 2, 1, 64),
                r.duration("EXPORT_RETENTION", Duration.ofDays(7), "s", Duration.ofMinutes(1), Duration.ofDays(3650)),
                r.duration("EXPORT_LEASE", Duration.ofSeconds(30), "s", Duration.ofSeconds(1), Duration.ofHours(1)),
                r.integer("EXPORT_PARALLEL_WALKS", 8, 1, 64));
        if (!r.problems().isEmpty()) {
            throw new ConfigException(r.problems());
        }
        return new GatewayConfig(http, database, dataDir, milestone, recording, index, playback, simulator,
                instanceId, auth, exports);
    }

    private static RecordingSettings recording(EnvReader r) {
        int max = r.integer("RECORDING_MAX_DURATION", 7200, 1, 7 * 24 * 3600);
        int def = r.integer("RECORDING_DEFAULT_DURATION", 900, 1, 7 * 24 * 3600);
        if (def > max) {
            r.problem("RECORDING_DEFAULT_DURATION (" + def + ") must not exceed RECORDING_MAX_DURATION (" + max + ")");
        }
        String policy = r.string("RECORDING_XPROTECT_TIMEOUT_POLICY", "renew");
        if (!policy.equals("renew") && !policy.equals("reject")) {
            r.problem("RECORDING_XPROTECT_TIMEOUT_POLICY must be renew or reject, got '" + policy + "'");
        }
        return new RecordingSettings(def, max, !policy.equals("reject"),
                r.duration("RECORDING_CHECK_INTERVAL", Duration.ofSeconds(10), "s", Duration.ofMillis(100),
                        Duration.ofHours(1)),
                r.duration("RECORDING_PROGRESS_INTERVAL", Duration.ofSeconds(5), "s", Duration.ofMillis(100),
                        Duration.ofHours(1)),
                r.integer("RECORDING_STOP_ATTEMPTS", 6, 1, 100),
                r.duration("RECORDING_STOP_RETRY_DELAY", Duration.ofSeconds(1), "s", Duration.ofMillis(10),
                        Duration.ofMinutes(10)),
                r.duration("RECORDING_LEASE", Duration.ofSeconds(30), "s", Duration.ofSeconds(1), Duration.ofHours(1)));
    }

    private static Optional<Path> tlsFile(EnvReader r, String name) {
        Optional<Path> p = Optional.ofNullable(r.path(name, null));
        p.filter(f -> !Files.isReadable(f)).ifPresent(f -> r.problem(name + " names a file that cannot be read: " + f));
        return p;
    }

    private static AuthSettings auth(EnvReader r) {
        AuthSettings.Mode mode = r.choice("AUTH_MODE", AuthSettings.Mode.class, AuthSettings.Mode.LOCAL);
        Optional<URI> issuer = Optional.ofNullable(r.url("AUTH_OIDC_ISSUER", HTTP_SCHEMES));
        String audience = r.string("AUTH_OIDC_AUDIENCE", null);
        if (mode == AuthSettings.Mode.OIDC && issuer.isEmpty()) {
            r.problem("AUTH_OIDC_ISSUER is required when AUTH_MODE=oidc: the identity provider's issuer URL");
        }
        if (mode == AuthSettings.Mode.OIDC && audience == null) {
            r.problem("AUTH_OIDC_AUDIENCE is required when AUTH_MODE=oidc: the audience its tokens carry for the gateway");
        }
        Optional<Path> keyFile = Optional.ofNullable(r.path("AUTH_SIGNING_KEY_FILE", null));
        keyFile.filter(p -> !Files.isReadable(p)).ifPresent(p ->
                r.problem("AUTH_SIGNING_KEY_FILE names a file that cannot be read: " + p));
        int minLength = r.integer("AUTH_PASSWORD_MIN_LENGTH", 12, 8, 128);
        Optional<String> admin = Optional.ofNullable(r.secret("AUTH_ADMIN_PASSWORD", null));
        if (admin.isPresent() && admin.get().length() < minLength) {
            r.problem("AUTH_ADMIN_PASSWORD must be at least " + minLength + " characters (AUTH_PASSWORD_MIN_LENGTH)");
        }
        Optional<String> urlSecret = Optional.ofNullable(r.secret("AUTH_URL_SIGNING_SECRET", null));
        if (urlSecret.isPresent() && urlSecret.get().length() < 32) {
            r.problem("AUTH_URL_SIGNING_SECRET must be at least 32 characters");
        }
        return new AuthSettings(mode,
                r.duration("AUTH_ACCESS_TOKEN_TTL", Duration.ofMinutes(15), "s", Duration.ofSeconds(1), Duration.ofDays(1)),
                r.duration("AUTH_REFRESH_TOKEN_TTL", Duration.ofHours(12), "s", Duration.ofMinutes(1), Duration.ofDays(30)),
                r.duration("AUTH_KEY_ROTATION", Duration.ofHours(24), "s", Duration.ofSeconds(10), Duration.ofDays(365)),
                keyFile, admin, minLength,
                r.duration("AUTH_SIGNED_URL_TTL", Duration.ofHours(4), "s", Duration.ofSeconds(10), Duration.ofDays(7)),
                urlSecret, r.bool("METRICS_AUTH", false),
                r.integer("AUTH_LOGIN_MAX_FAILURES", 5, 1, 1000),
                r.duration("AUTH_LOGIN_LOCKOUT", Duration.ofMinutes(15), "s", Duration.ofSeconds(1), Duration.ofDays(1)),
                r.integer("AUTH_REQUESTS_PER_MINUTE", 6000, 1, 10_000_000),
                issuer, audience == null ? "" : audience,
                r.string("AUTH_OIDC_USERNAME_CLAIM", "preferred_username"),
                r.string("AUTH_OIDC_ROLE_CLAIM", "roles"),
                r.string("AUTH_OIDC_CAMERAS_CLAIM", "cameras"));
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "gateway";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    private static Optional<DatabaseUrl> databaseUrl(EnvReader r) {
        String v = r.secret("DATABASE_URL", null);
        URI u = v == null || v.isBlank() ? null : r.parseUrl("DATABASE_URL", v.trim(), List.of("postgresql", "postgres"));
        try {
            return Optional.ofNullable(u).map(DatabaseUrl::parse);
        } catch (IllegalArgumentException e) {
            r.problem("DATABASE_URL: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static MilestoneSettings milestone(EnvReader r) {
        Optional<URI> base = Optional.ofNullable(r.url("MILESTONE_BASE_URL", HTTP_SCHEMES));
        String username = r.string("MILESTONE_USERNAME", null);
        String password = r.secret("MILESTONE_PASSWORD", null);
        if (base.isPresent()) {
            if (username == null) {
                r.problem("MILESTONE_USERNAME is required when MILESTONE_BASE_URL is set");
            }
            if (password == null) {
                r.problem("MILESTONE_PASSWORD is required when MILESTONE_BASE_URL is set");
            }
        }
        MilestoneAuthType authType = r.choice("MILESTONE_AUTH_TYPE", MilestoneAuthType.class, MilestoneAuthType.BASIC);
        if (authType == MilestoneAuthType.NTLM && username != null && !username.contains("\\")) {
            r.problem("MILESTONE_USERNAME must be DOMAIN\\user when MILESTONE_AUTH_TYPE=ntlm, got '" + username + "'");
        }
        Optional<URI> idp = Optional.ofNullable(r.url("MILESTONE_IDP_URL", HTTP_SCHEMES));
        Duration sessionTimeout = r.duration("MILESTONE_SESSION_TIMEOUT", Duration.ofHours(1), "s",
                Duration.ofSeconds(60), Duration.ofDays(1));
        int maxConnections = r.integer("MILESTONE_MAX_CONNECTIONS", 50, 1, 1000);
        int retryAttempts = r.integer("MILESTONE_RETRY_ATTEMPTS", 3, 0, 10);
        Duration retryDelay = r.duration("MILESTONE_RETRY_DELAY", Duration.ofMillis(500), "s",
                Duration.ZERO, Duration.ofMinutes(1));
        Duration requestTimeout = r.duration("MILESTONE_REQUEST_TIMEOUT", Duration.ofSeconds(10), "s",
                Duration.ofMillis(100), Duration.ofMinutes(5));
        int circuitThreshold = r.integer("MILESTONE_CIRCUIT_FAILURE_THRESHOLD", 5, 1, 1000);
        Duration circuitOpen = r.duration("MILESTONE_CIRCUIT_OPEN_DURATION", Duration.ofSeconds(15), "s",
                Duration.ofMillis(100), Duration.ofHours(1));
        Optional<Path> ca = Optional.ofNullable(r.path("MILESTONE_TLS_CA_FILE", null));
        ca.filter(p -> !Files.isReadable(p)).ifPresent(p ->
                r.problem("MILESTONE_TLS_CA_FILE names a file that cannot be read: " + p));
        TlsSettings tls = new TlsSettings(ca, r.bool("MILESTONE_TLS_VERIFY", true));
        Map<String, URI> overrides = recorderOverrides(r);
        Optional<URI> rtsp = Optional.ofNullable(r.url("MILESTONE_RTSP_BASE_URL", List.of("rtsp", "rtsps")));
        Duration catalogTtl = r.duration("MILESTONE_CATALOG_CACHE_TTL", Duration.ofSeconds(10), "s",
                Duration.ZERO, Duration.ofHours(1));
        Duration probe = r.duration("MILESTONE_STATUS_PROBE_INTERVAL", Duration.ofSeconds(30), "s",
                Duration.ofSeconds(1), Duration.ofHours(1));
        return new MilestoneSettings(base, username == null ? "" : username, password == null ? "" : password,
                authType, idp, sessionTimeout, maxConnections, retryAttempts, retryDelay, requestTimeout,
                circuitThreshold, circuitOpen, tls, overrides, rtsp, catalogTtl, probe);
    }

    /**
     * {@code MILESTONE_RECORDER_URI_OVERRIDES=rs-01.corp.local=https://10.0.0.5:7563/,<recorder id>=10.0.0.6}:
     * the key is a recording server's id or the host of its advertised {@code webServerUri}; the value
     * is a whole URL, or a bare host that replaces only the advertised host.
     */
    private static Map<String, URI> recorderOverrides(EnvReader r) {
        String v = r.string("MILESTONE_RECORDER_URI_OVERRIDES", null);
        Map<String, URI> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        for (String entry : v.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                r.problem("MILESTONE_RECORDER_URI_OVERRIDES entries must look like <recorder id or host>=<url>, got '"
                        + e + "'");
                continue;
            }
            String value = e.substring(eq + 1).trim();
            // A bare host (no scheme) replaces only the host and keeps the advertised scheme and port.
            URI u = value.contains("://")
                    ? r.parseUrl("MILESTONE_RECORDER_URI_OVERRIDES (" + e.substring(0, eq) + ")", value, HTTP_SCHEMES)
                    : r.parseUrl("MILESTONE_RECORDER_URI_OVERRIDES (" + e.substring(0, eq) + ")", "http://" + value,
                            HTTP_SCHEMES);
            if (u != null && !value.contains("://")) {
                u = URI.create("//" + u.getRawAuthority());
            }
            if (u != null) {
                out.put(e.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT), u);
            }
        }
        return Map.copyOf(out);
    }
}
