package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets a JSON error with the right 4xx status that names the problem, never a 500. */
class BadInputApiTest {
    private static GatewayHarness gw;
    private static String cameraId;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness();
        String device = gw.simulator.site().cameras().get(0).id();
        cameraId = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + device + "\"}").json()
                .getString("id");
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "POST|/api/v1/cameras/import|{bad json|400|not valid JSON",
        "POST|/api/v1/cameras/import|[1,2]|400|must be a JSON object",
        "POST|/api/v1/cameras/import||400|body is required",
        "POST|/api/v1/cameras/import|{}|400|'milestoneDeviceId' is required",
        "POST|/api/v1/cameras/import|{\"milestoneDeviceId\":42}|400|'milestoneDeviceId' must be a string",
        "POST|/api/v1/cameras/import|{\"milestoneDeviceId\":\"not-a-uuid\"}|400|'milestoneDeviceId' must be a UUID",
        "POST|/api/v1/cameras/import|{\"milestoneDeviceId\":\"0b0e0e0e-0000-4000-8000-000000000000\",\"source\":\"NAVY\"}|400|must be one of DUBAI_POLICE, METRO, BUS, OTHER",
        "POST|/api/v1/cameras/import|{\"milestoneDeviceId\":\"0b0e0e0e-0000-4000-8000-000000000000\",\"name\":7}|400|'name' must be a string",
        "POST|/api/v1/cameras/import|{\"milestoneDeviceId\":\"0b0e0e0e-0000-4000-8000-000000000000\",\"location\":\"here\"}|400|'location' must be an object",
        "POST|/api/v1/cameras/import|{\"milestoneDeviceId\":\"0b0e0e0e-0000-4000-8000-000000000000\",\"location\":{\"latitude\":91,\"longitude\":0}}|400|'location.latitude' must be between",
        "POST|/api/v1/cameras/import|{\"milestoneDeviceId\":\"0b0e0e0e-0000-4000-8000-000000000000\",\"location\":{\"latitude\":\"north\",\"longitude\":0}}|400|'location.latitude' must be a number",
        "GET|/api/v1/cameras/not-a-uuid||400|'id' must be a UUID",
        "GET|/api/v1/cameras/0b0e0e0e-0000-4000-8000-000000000000||404|No camera with id",
        "GET|/api/v1/cameras?limit=-1||400|'limit' must be a whole number",
        "GET|/api/v1/cameras?limit=ten||400|'limit' must be a whole number",
        "GET|/api/v1/cameras?offset=-5||400|'offset' must be a whole number",
        "GET|/api/v1/cameras?source=ARMY||400|must be one of",
        "GET|/api/v1/milestone/cameras?limit=abc||400|'limit' must be a whole number",
        "GET|/api/v1/milestone/cameras?recording=maybe||400|'recording' must be true or false",
        "GET|/api/v1/milestone/cameras?ptz=1||400|'ptz' must be true or false",
        "POST|/api/v1/milestone/sync-all|{\"sourceFilter\":\"ARMY\"}|400|'sourceFilter' must be one of",
        "POST|/api/v1/milestone/sync-all|{\"autoImport\":\"yes\"}|400|'autoImport' must be true or false",
        "PUT|/api/v1/cameras/CAMERA|{\"name\":\"\"}|400|'name' must not be blank",
        "PUT|/api/v1/cameras/CAMERA|{\"source\":5}|400|'source' must be a string",
        "PUT|/api/v1/cameras/CAMERA|{\"name\":null}|400|'name' cannot be cleared",
        "PUT|/api/v1/cameras/CAMERA|{\"source\":null}|400|'source' cannot be cleared",
        "PUT|/api/v1/cameras/CAMERA/sync|{}|200|",
        "DELETE|/api/v1/milestone/cameras||405|not allowed",
        "GET|/api/v1/unknown||404|No such resource",
        "GET|/ws||400|'Upgrade: websocket'",
    })
    void badRequestsNameTheProblem(String method, String path, String body, int status, String message) throws Exception {
        Http.Answer a = gw.http.send(method, path.replace("CAMERA", cameraId), body);
        assertEquals(status, a.status(), a.body());
        assertTrue(a.header("Content-Type").startsWith("application/json"), a.header("Content-Type"));
        if (status >= 400) {
            assertTrue(a.json().getString("error").contains(message), a.body());
        }
    }

    @Test
    void aWrongMethodAnswers405WithAllow() throws Exception {
        Http.Answer a = gw.http.send("PATCH", "/api/v1/cameras/" + cameraId, "{}");
        assertEquals(405, a.status(), a.body());
        assertEquals("DELETE, GET, PUT", a.header("Allow"));
        Http.Answer b = gw.http.send("DELETE", "/api/v1/milestone/cameras", null);
        assertEquals("GET", b.header("Allow"));
    }

    @Test
    void aBodyOverTheLimitAnswers413NamingIt() throws Exception {
        Http.Answer a = gw.http.post("/api/v1/cameras/import", "{\"name\":\"" + "x".repeat(300 * 1024) + "\"}");
        assertEquals(413, a.status(), a.body());
        assertTrue(a.json().getString("error").contains("256 KiB"), a.body());
    }

    /** Java's HTTP client will not send a bad escape; a raw socket does, as a broken client would. */
    @Test
    void aBadPercentEscapeInThePathOrQueryAnswers400() throws Exception {
        int port = Integer.parseInt(gw.http.base().replaceAll(".*:", ""));
        for (String target : new String[] {"/api/v1/cameras?limit=%ZZ", "/api/v1/cameras/%ZZ"}) {
            try (java.net.Socket sock = new java.net.Socket("127.0.0.1", port)) {
                sock.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + gw.http.token() + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String answer = new String(sock.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 400"), target + ": " + answer);
                assertTrue(answer.contains("not valid percent-encoding"), answer);
            }
        }
    }
}
