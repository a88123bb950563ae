package com.cns.gateway.milestone;

import com.cns.gateway.testsupport.TestClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.config.ConfigLoader;
import com.cns.gateway.config.MilestoneSettings;
import com.cns.xprotect.simulator.SimulatorOptions;
import com.cns.xprotect.simulator.XProtectSimulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** End-to-end tests of the XProtect client against the simulator on loopback. */
class XProtectClientSimulatorTest {
    private final Vertx vertx = Vertx.vertx();
    private final TestClock clock = new TestClock(Instant.now());
    private XProtectSimulator sim;
    private XProtectClient client;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.close();
        }
        if (sim != null) {
            await(sim.stop());
        }
        await(vertx.close());
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static Throwable failure(Future<?> f) throws Exception {
        try {
            await(f);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    private XProtectClient start(SimulatorOptions o, Map<String, String> extraEnv) throws Exception {
        sim = new XProtectSimulator(vertx, o);
        String base = await(sim.start());
        Map<String, String> env = new HashMap<>(Map.of("MILESTONE_BASE_URL", base, "MILESTONE_USERNAME", "admin",
                "MILESTONE_PASSWORD", "admin", "MILESTONE_CATALOG_CACHE_TTL", "0",
                "MILESTONE_RETRY_DELAY", "10ms", "MILESTONE_CIRCUIT_OPEN_DURATION", "200ms",
                "MILESTONE_REQUEST_TIMEOUT", "2s"));
        env.putAll(extraEnv);
        MilestoneSettings s = ConfigLoader.load(env).milestone();
        client = new XProtectClient(vertx, s, URI.create(base), new SimpleMeterRegistry(), clock);
        return client;
    }

    @Test
    void listingPagesUntilExhaustedAndJoinsEachCameraToItsRecorder() throws Exception {
        start(SimulatorOptions.defaults().withCameras(250, 4), Map.of());
        List<XpCamera> cams = await(client.cameras().cameras());
        long enabled = sim.site().cameras().stream().filter(c -> c.enabled()).count();
        assertEquals(enabled, cams.size());
        assertEquals(3, sim.requests().count("GET", "/api/rest/v1/cameras?page="), "pages 0, 1, 2 of 100");
        for (XpCamera c : cams) {
            var simCam = sim.site().camera(c.id());
            assertEquals(sim.site().recorderOf(simCam).id, c.recordingServer().id());
            assertEquals(URI.create(sim.site().recorderOf(simCam).webServerUri()), c.recordingServer().effectiveUri());
            assertEquals(simCam.ptzEnabled(), c.ptzEnabled());
            assertEquals(simCam.manualRecordingTimeoutMinutes(), c.manualRecordingTimeoutMinutes());
        }
    }

    @Test
    void oneCameraIsReadFreshAndAnUnknownOneIsNotFound() throws Exception {
        start(SimulatorOptions.defaults(), Map.of());
        var simCam = sim.site().cameras().get(0);
        XpCamera c = await(client.cameras().camera(simCam.id()));
        assertEquals(simCam.name(), c.name());
        assertEquals(sim.site().recorderOf(simCam).name, c.recordingServer().name());
        assertInstanceOf(XProtectNotFoundException.class,
                failure(client.cameras().camera("00000000-0000-0000-0000-000000000000")));
    }

    @Test
    void tokenExpiredMidUseGetsOneFreshTokenAndOneRetry() throws Exception {
        start(SimulatorOptions.defaults(), Map.of());
        await(client.cameras().cameras());
        assertEquals(1, sim.requests().count("POST", "/API/IDP/connect/token"));
        sim.expireTokens();
        assertFalse(await(client.cameras().cameras()).isEmpty());
        assertEquals(2, sim.requests().count("POST", "/API/IDP/connect/token"));
    }

    @Test
    void idpTokenIsRenewedBeforeItExpires() throws Exception {
        start(SimulatorOptions.defaults(), Map.of());
        String first = await(client.idpTokens().token());
        clock.advance(Duration.ofSeconds(3000));
        assertEquals(first, await(client.idpTokens().token()), "still well before expiry");
        clock.advance(Duration.ofSeconds(560));
        assertNotEquals(first, await(client.idpTokens().token()), "renewed within the last minute");
    }

    @Test
    void vmsTokenComesFromSoapLoginAndIsRenewedWithTheCurrentToken() throws Exception {
        start(SimulatorOptions.defaults(), Map.of("MILESTONE_SESSION_TIMEOUT", "86400"));
        sim.tokenTtls(Duration.ofHours(8), Duration.ofMinutes(10));
        var t = await(client.vmsTokens().token());
        assertTrue(t.value().startsWith("TOKEN#"));
        assertEquals(Duration.ofMinutes(10), t.timeToLive());
        assertEquals(t, await(client.vmsTokens().token()));
        clock.advance(Duration.ofSeconds(590));
        assertNotEquals(t.value(), await(client.vmsTokens().token()).value());
        assertEquals(2, sim.requests().count("POST", "/ManagementServer/ServerCommandServiceOAuth.svc"));
    }

    @Test
    void outageIsUnavailableAndTheClientRecoversWhenXProtectReturns() throws Exception {
        start(SimulatorOptions.defaults(), Map.of("MILESTONE_RETRY_ATTEMPTS", "1"));
        await(client.cameras().cameras());
        sim.faults().drop("/api/rest/v1", -1);
        Throwable t = failure(client.cameras().cameras());
        assertInstanceOf(XProtectUnavailableException.class, t);
        assertNotNull(((XProtectUnavailableException) t).retryAfter());
        sim.faults().clear();
        Thread.sleep(300);
        assertFalse(await(client.cameras().cameras()).isEmpty());
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() throws Exception {
        start(SimulatorOptions.defaults(), Map.of("MILESTONE_RETRY_ATTEMPTS", "3"));
        sim.faults().error("/api/rest/v1/sites", 503, 2);
        await(client.cameras().probe());
        assertEquals(3, sim.requests().count("GET", "/api/rest/v1/sites"));
    }

    @Test
    void rejectedCredentialsAreAnAuthenticationFailureNamingTheUser() throws Exception {
        start(SimulatorOptions.defaults(), Map.of("MILESTONE_PASSWORD", "wrong"));
        Throwable t = failure(client.cameras().cameras());
        assertInstanceOf(XProtectAuthenticationException.class, t);
        assertTrue(t.getMessage().contains("admin") && t.getMessage().contains("invalid_grant"), t.getMessage());
        assertFalse(t.getMessage().contains("wrong"));
    }

    @Test
    void httpsWithAPrivateCaIsTrustedOnlyWhenConfigured() throws Exception {
        Path ca = Files.createTempFile("xprotect-ca", ".pem");
        Files.writeString(ca, XProtectSimulator.caCertificatePem());
        start(SimulatorOptions.defaults().withTls(true), Map.of("MILESTONE_TLS_CA_FILE", ca.toString()));
        assertTrue(sim.baseUrl().startsWith("https://"));
        assertFalse(await(client.cameras().cameras()).isEmpty());
        client.close();

        MilestoneSettings untrusted = ConfigLoader.load(Map.of("MILESTONE_BASE_URL", sim.baseUrl(),
                "MILESTONE_USERNAME", "admin", "MILESTONE_PASSWORD", "admin", "MILESTONE_RETRY_ATTEMPTS", "0"))
                .milestone();
        client = new XProtectClient(vertx, untrusted, URI.create(sim.baseUrl()), new SimpleMeterRegistry(), clock);
        assertInstanceOf(XProtectUnavailableException.class, failure(client.cameras().cameras()));
        client.close();

        MilestoneSettings lab = ConfigLoader.load(Map.of("MILESTONE_BASE_URL", sim.baseUrl(),
                "MILESTONE_USERNAME", "admin", "MILESTONE_PASSWORD", "admin", "MILESTONE_TLS_VERIFY", "false"))
                .milestone();
        client = new XProtectClient(vertx, lab, URI.create(sim.baseUrl()), new SimpleMeterRegistry(), clock);
        assertFalse(await(client.cameras().cameras()).isEmpty());
        Files.delete(ca);
    }

    @Test
    void internalRecorderNamesAreReachableThroughAnOverride() throws Exception {
        start(SimulatorOptions.defaults().withRecorderHost("rs.xprotect.test"),
                Map.of("MILESTONE_RECORDER_URI_OVERRIDES", "rs.xprotect.test=127.0.0.1"));
        XpCamera c = await(client.cameras().cameras()).get(0);
        assertEquals("rs.xprotect.test", c.recordingServer().webServerUri().getHost());
        assertEquals("127.0.0.1", c.recordingServer().effectiveUri().getHost());
        assertEquals(c.recordingServer().webServerUri().getPort(), c.recordingServer().effectiveUri().getPort());
        assertTrue(await(client.reachability().reachable(c.recordingServer().effectiveUri())));
        assertFalse(await(client.reachability().reachable(c.recordingServer().webServerUri())));
    }

    @Test
    void healthIsDegradedDuringAnOutageAndUpAfterIt() throws Exception {
        start(SimulatorOptions.defaults(), Map.of("MILESTONE_RETRY_ATTEMPTS", "0"));
        assertTrue(await(client.health().check()));
        sim.faults().error("/", 500, -1);
        assertFalse(await(client.health().check()));
        assertEquals("degraded", client.health().toJson().getString("status"));
        sim.faults().clear();
        Thread.sleep(300);
        assertTrue(await(client.health().check()));
    }

    @Test
    void manualRecordingStartsStopsAndIsReportedByTheCamerasRecorder() throws Exception {
        start(SimulatorOptions.defaults(), Map.of());
        XpCamera c = await(client.cameras().cameras()).get(0);
        URI recorder = c.recordingServer().effectiveUri();
        assertFalse(await(client.recorders().isManualRecording(recorder, c.id())));
        assertTrue(await(client.recorders().startManualRecording(recorder, c.id())).succeeded());
        assertTrue(await(client.recorders().isManualRecording(recorder, c.id())));
        assertTrue(sim.manualRecordings().isRecording(c.id()));
        assertTrue(await(client.recorders().stopManualRecording(recorder, c.id())).succeeded());
        assertFalse(await(client.recorders().isManualRecording(recorder, c.id())));
        assertTrue(await(client.recorders().stopManualRecording(recorder, c.id())).succeeded(),
                "a stop of a stopped device succeeds");
    }

    @Test
    void anExpiredVmsTokenGetsOneFreshLoginAndOneRetry() throws Exception {
        start(SimulatorOptions.defaults(), Map.of());
        XpCamera c = await(client.cameras().cameras()).get(0);
        await(client.recorders().isManualRecording(c.recordingServer().effectiveUri(), c.id()));
        long logins = sim.requests().count("POST", "/ManagementServer/ServerCommandServiceOAuth.svc");
        long idpTokens = sim.requests().count("POST", "/API/IDP/connect/token");
        sim.expireTokens();
        assertFalse(await(client.recorders().isManualRecording(c.recordingServer().effectiveUri(), c.id())));
        // The IDP token expired too: the first Login is refused (401), a new IDP token is fetched, the
        // second Login succeeds, and the recorder call is retried once with the new VMS token.
        assertEquals(logins + 2, sim.requests().count("POST", "/ManagementServer/ServerCommandServiceOAuth.svc"));
        assertEquals(idpTokens + 1, sim.requests().count("POST", "/API/IDP/connect/token"));
        assertEquals(3, sim.requests().entries().stream().filter(e -> e.action() != null
                && e.action().contains("IsManualRecording")).count(), "the first call, the refused one, the retry");
    }

    @Test
    void aCameraOfAnotherRecorderIsRefusedPerDevice() throws Exception {
        start(SimulatorOptions.defaults(), Map.of());
        List<XpCamera> cams = await(client.cameras().cameras());
        XpCamera a = cams.get(0);
        XpCamera b = cams.stream().filter(x -> !x.recordingServer().id().equals(a.recordingServer().id()))
                .findFirst().orElseThrow();
        var r = await(client.recorders().startManualRecording(a.recordingServer().effectiveUri(), b.id()));
        assertFalse(r.succeeded());
        assertEquals("Unknown device", r.message());
    }

    /** A Windows user (MILESTONE_AUTH_TYPE=ntlm): the windows_credentials grant over NTLMv2, asked of the IDP itself. */
    @Test
    void aWindowsUserGetsItsTokenOverNtlmAndAWrongPasswordIsRefused() throws Exception {
        XProtectClient c = start(SimulatorOptions.defaults(), Map.of("MILESTONE_AUTH_TYPE", "ntlm",
                "MILESTONE_USERNAME", "XPSIM\\admin"));
        assertFalse(await(c.cameras().cameras()).isEmpty(), "the REST API answers with the Windows user's token");
        var legs = sim.requests().entries().stream().filter(e -> "windows_credentials".equals(e.action())).toList();
        assertEquals(2, legs.size(), "negotiate and authenticate: " + legs);
        assertTrue(legs.stream().allMatch(e -> e.uri().equals("/IDP/connect/token")), "asked of the IDP directly: " + legs);
        client.close();
        await(sim.stop());
        client = null;
        XProtectClient wrong = start(SimulatorOptions.defaults(), Map.of("MILESTONE_AUTH_TYPE", "ntlm",
                "MILESTONE_USERNAME", "XPSIM\\admin", "MILESTONE_PASSWORD", "not the password"));
        Throwable refused = failure(wrong.cameras().cameras());
        assertTrue(refused instanceof XProtectAuthenticationException, String.valueOf(refused));
        assertTrue(refused.getMessage().contains("refused the gateway's credentials"), refused.getMessage());
    }
}
