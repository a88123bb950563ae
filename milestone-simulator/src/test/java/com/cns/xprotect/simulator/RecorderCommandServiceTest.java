package com.cns.xprotect.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The recorders' RecorderCommandService as a SOAP client sees it, and the camera's own timeout. */
class RecorderCommandServiceTest {
    private static Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock CLOCK = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private static final Vertx VERTX = Vertx.vertx();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static XProtectSimulator sim;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        sim = new XProtectSimulator(VERTX, SimulatorOptions.defaults(), CLOCK);
        sim.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String jwt = new io.vertx.core.json.JsonObject(post(sim.baseUrl() + "/IDP/connect/token", null,
                "grant_type=password&username=admin&password=admin&client_id=GrantValidatorClient",
                "application/x-www-form-urlencoded").body()).getString("access_token");
        String login = post(sim.baseUrl() + "/ManagementServer/ServerCommandServiceOAuth.svc", jwt,
                "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><Login xmlns=\""
                        + "http://videoos.net/2/XProtectCSServerCommand\"><instanceId>x</instanceId></Login></s:Body>"
                        + "</s:Envelope>", "text/xml").body();
        Matcher m = Pattern.compile("<Token>(.*)</Token>").matcher(login);
        assertTrue(m.find());
        token = m.group(1);
    }

    @AfterAll
    static void stop() throws Exception {
        sim.stop().toCompletionStage().toCompletableFuture().get();
        VERTX.close().toCompletionStage().toCompletableFuture().get();
    }

    static HttpResponse<String> post(String url, String bearer, String body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String soap(SimulatedSite.Camera c, String method, String tokenXml, String devices) throws Exception {
        String url = sim.site().recorderOf(c).webServerUri() + "RecorderCommandService/RecorderCommandService.asmx";
        return post(url, null, "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><"
                + method + " xmlns=\"http://videoos.net/2/XProtectCSRecorderCommand\">" + tokenXml + devices + "</"
                + method + "></soap:Body></soap:Envelope>", "text/xml; charset=utf-8").body();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<deviceIds><guid>ID</guid></deviceIds>",
        "<deviceIds xmlns:a=\"http://microsoft.com/wsdl/types/\"><a:guid>ID</a:guid></deviceIds>",
        "<deviceIds><deviceId>ID</deviceId></deviceIds>"})
    void everyDeviceListFormIsAccepted(String devices) throws Exception {
        SimulatedSite.Camera c = sim.site().cameras().get(0);
        String ids = devices.replace("ID", c.id());
        String started = soap(c, "StartManualRecording", "<token>" + token + "</token>", ids);
        assertTrue(started.contains("<ResultCode>0</ResultCode>"), started);
        assertTrue(soap(c, "IsManualRecording", "<token>" + token + "</token>", ids)
                .contains("<IsManualRecording>true</IsManualRecording>"));
        soap(c, "StopManualRecording", "<token>" + token + "</token>", ids);
        assertFalse(sim.manualRecordings().isRecording(c.id()));
    }

    @Test
    void missingAndInvalidTokensGetTheRealFaults() throws Exception {
        SimulatedSite.Camera c = sim.site().cameras().get(0);
        String ids = "<deviceIds><guid>" + c.id() + "</guid></deviceIds>";
        String none = soap(c, "IsManualRecording", "", ids);
        assertTrue(none.contains("<faultstring>No token supplied</faultstring>") && none.contains(
                "<ErrorNumber>20001</ErrorNumber><SubErrorNumber>1</SubErrorNumber>"), none);
        String bad = soap(c, "IsManualRecording", "<token>eyJhbGciOiJSUzI1NiJ9.e30.x</token>", ids);
        assertTrue(bad.contains("<faultstring>Token invalid</faultstring>") && bad.contains(
                "<SubErrorNumber>2</SubErrorNumber>"), bad);
    }

    @Test
    void theCamerasOwnTimeoutStopsItAndARepeatedStartRestartsTheTimeout() throws Exception {
        SimulatedSite.Camera c = sim.site().cameras().stream().filter(x -> x.manualRecordingTimeoutMinutes() == 5)
                .findFirst().orElseThrow();
        String ids = "<deviceIds><guid>" + c.id() + "</guid></deviceIds>";
        String tok = "<token>" + token + "</token>";
        Instant begin = now;
        soap(c, "StartManualRecording", tok, ids);
        now = now.plus(Duration.ofMinutes(4));
        soap(c, "StartManualRecording", tok, ids);
        now = now.plus(Duration.ofMinutes(4));
        assertTrue(sim.manualRecordings().isRecording(c.id()), "the repeated start moved the timeout");
        now = now.plus(Duration.ofMinutes(2));
        assertFalse(sim.manualRecordings().isRecording(c.id()));
        var spans = sim.manualRecordings().spans(c.id());
        assertEquals(1, spans.size());
        assertEquals(begin, spans.get(0).begin());
        assertEquals(begin.plus(Duration.ofMinutes(9)), spans.get(0).end(), "stopped 5 min after the last start");
    }
}
