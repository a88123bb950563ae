package com.cns.xprotect.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator's wire shapes, checked as a client sees them, against the real-server captures. */
class XProtectSimulatorTest {
    private static final Vertx VERTX = Vertx.vertx();
    private static XProtectSimulator sim;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        sim = new XProtectSimulator(VERTX, SimulatorOptions.defaults().withCameras(25, 2));
        sim.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        sim.stop().toCompletionStage().toCompletableFuture().get();
        VERTX.close().toCompletionStage().toCompletableFuture().get();
    }

    static HttpResponse<String> send(String method, String path, String token, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String token() throws Exception {
        var r = send("POST", "/API/IDP/connect/token", null, "application/x-www-form-urlencoded",
                "grant_type=password&username=admin&password=admin&client_id=GrantValidatorClient");
        assertEquals(200, r.statusCode());
        JsonObject j = new JsonObject(r.body());
        assertEquals(3600, j.getInteger("expires_in"));
        assertEquals("Bearer", j.getString("token_type"));
        assertEquals("managementserver", j.getString("scope"));
        assertEquals(3, j.getString("access_token").split("\\.").length, "JWT-shaped");
        return j.getString("access_token");
    }

    @Test
    void wrongPasswordIsAnOauthInvalidGrant() throws Exception {
        var r = send("POST", "/IDP/connect/token", null, "application/x-www-form-urlencoded",
                "grant_type=password&username=admin&password=nope&client_id=GrantValidatorClient");
        assertEquals(400, r.statusCode());
        assertEquals("invalid_grant", new JsonObject(r.body()).getString("error"));
    }

    @Test
    void collectionsUseTheArrayEnvelopeAndPageFromZero() throws Exception {
        String t = token();
        long enabled = sim.site().cameras().stream().filter(SimulatedSite.Camera::enabled).count();
        JsonArray all = new JsonObject(send("GET", "/api/rest/v1/cameras", t, null, null).body()).getJsonArray("array");
        assertEquals(enabled, all.size());
        JsonArray withDisabled = new JsonObject(send("GET", "/api/rest/v1/cameras?disabled", t, null, null).body())
                .getJsonArray("array");
        assertEquals(25, withDisabled.size());
        JsonArray page1 = new JsonObject(send("GET", "/api/rest/v1/cameras?page=1&size=10", t, null, null).body())
                .getJsonArray("array");
        assertEquals(all.getJsonObject(10).getString("id"), page1.getJsonObject(0).getString("id"));
        JsonObject cam = all.getJsonObject(0);
        assertEquals("hardware", cam.getJsonObject("relations").getJsonObject("parent").getString("type"));
        assertTrue(cam.containsKey("manualRecordingTimeoutMinutes"));
        JsonObject one = new JsonObject(send("GET", "/api/rest/v1/cameras/" + cam.getString("id"), t, null, null).body());
        assertEquals(cam, one.getJsonObject("data"));
        JsonObject rs = new JsonObject(send("GET", "/api/rest/v1/recordingServers", t, null, null).body())
                .getJsonArray("array").getJsonObject(0);
        assertTrue(rs.getString("webServerUri").matches("http://127\\.0\\.0\\.1:\\d+/"), rs.getString("webServerUri"));
    }

    @Test
    void unknownResourceAnswersTheCapturedErrorBody() throws Exception {
        var r = send("GET", "/api/rest/v1/recordings", token(), null, null);
        assertEquals(404, r.statusCode());
        assertEquals(new JsonObject("{\"error\":{\"httpCode\":404,\"details\":[{\"errorText\":\"Unknown resource: recordings\"}]}}"),
                new JsonObject(r.body()));
        assertEquals(401, send("GET", "/api/rest/v1/cameras", "not-a-token", null, null).statusCode());
    }

    @Test
    void soapLoginNeedsTheBearerAndAnswersATokenWithItsTimeToLive() throws Exception {
        String body = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><Login "
                + "xmlns=\"http://videoos.net/2/XProtectCSServerCommand\"><instanceId>8a5c1b2e-0000-4000-8000-000000000001"
                + "</instanceId><currentToken /></Login></s:Body></s:Envelope>";
        assertEquals(401, send("POST", "/ManagementServer/ServerCommandServiceOAuth.svc", null, "text/xml", body)
                .statusCode());
        var r = send("POST", "/ManagementServer/ServerCommandServiceOAuth.svc", token(), "text/xml", body);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("<MicroSeconds>14400000000</MicroSeconds>"), r.body());
        assertTrue(r.body().matches(".*<Token>TOKEN#[0-9a-f-]{36}#xprotect-sim//ServerConnector#</Token>.*"), r.body());
    }

    @Test
    void faultsAreSetAndClearedOverHttp() throws Exception {
        String t = token();
        assertEquals(204, send("POST", "/simulator/faults", null, "application/json",
                "{\"kind\":\"error\",\"pathPrefix\":\"/api/rest/v1/sites\",\"status\":503,\"times\":1}").statusCode());
        assertEquals(503, send("GET", "/api/rest/v1/sites", t, null, null).statusCode());
        assertEquals(200, send("GET", "/api/rest/v1/sites", t, null, null).statusCode(), "only once");
        send("POST", "/simulator/faults", null, "application/json", "{\"kind\":\"drop\",\"pathPrefix\":\"/api\"}");
        assertThrows(java.io.IOException.class, () -> send("GET", "/api/rest/v1/sites", t, null, null));
        assertEquals(204, send("DELETE", "/simulator/faults", null, null, null).statusCode());
        assertEquals(200, send("GET", "/api/rest/v1/sites", t, null, null).statusCode());

        send("POST", "/simulator/tokens/expire", null, null, null);
        assertEquals(401, send("GET", "/api/rest/v1/sites", t, null, null).statusCode());
    }

    @Test
    void optionsParseAndRejectUnknownOnes() {
        SimulatorOptions o = SimulatorOptions.parse(new String[] {"--port=0", "--cameras=3000", "--tls",
            "--recorder-host=rs.xprotect.test", "--hd-cameras=8"});
        assertEquals(3000, o.cameras());
        assertEquals(8, o.hdCameras());
        SimulatedSite site = new SimulatedSite(o);
        assertEquals(8, site.cameras().stream().filter(c -> site.profile(c.id()) == CameraProfile.HD_1080).count(),
                "the last eight cameras are HD");
        assertTrue(o.tls());
        assertEquals("rs.xprotect.test", o.recorderHost());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulatorOptions.parse(new String[] {"--cams=3", "--port=x"}));
        assertTrue(e.getMessage().contains("unknown option --cams") && e.getMessage().contains("--port needs a number"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse(new String[] {"--cameras=2",
            "--hd-cameras=3"}));
        IllegalArgumentException yes = assertThrows(IllegalArgumentException.class,
                () -> SimulatorOptions.parse(new String[] {"--tls=yes"}));
        assertTrue(yes.getMessage().contains("--tls takes true or false"), yes.getMessage());
        assertFalse(SimulatorOptions.parse(new String[] {"--tls=false"}).tls());
        assertTrue(SimulatorOptions.parse(new String[] {"--tls=TRUE"}).tls());
    }

    @Test
    void helpPrintsTheOptionsAndExitsZeroAndABadOptionExitsTwo() throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Process help = new ProcessBuilder(javaBin, "-cp", cp, SimulatorMain.class.getName(), "--help")
                .redirectErrorStream(true).start();
        String out = new String(help.getInputStream().readAllBytes());
        assertEquals(0, help.waitFor(), out);
        assertTrue(out.contains("--hd-cameras=N") && out.contains("--tls[=true|false]"), out);
        Process bad = new ProcessBuilder(javaBin, "-cp", cp, SimulatorMain.class.getName(), "--tls=yes")
                .redirectErrorStream(true).start();
        String err = new String(bad.getInputStream().readAllBytes());
        assertEquals(2, bad.waitFor(), err);
        assertTrue(err.contains("--tls takes true or false"), err);
    }
}
