package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.xprotect.simulator.SimulatorOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XProtect failing under the gateway: 503 with Retry-After, readiness kept (degraded), recovery by
 * itself, and a token that expires mid-use.
 */
class XProtectOutageApiTest {
    private GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of("MILESTONE_CATALOG_CACHE_TTL", "0",
                "MILESTONE_RETRY_ATTEMPTS", "1", "MILESTONE_STATUS_PROBE_INTERVAL", "1s"));
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    private JsonObject ready() throws Exception {
        Http.Answer a = gw.http.get("/health/ready");
        assertEquals(200, a.status(), "an XProtect outage must not make the instance unready: " + a.body());
        return a.json();
    }

    private String waitForXProtect(String state) throws Exception {
        for (int i = 0; i < 100; i++) {
            String s = ready().getJsonObject("checks").getJsonObject("xprotect").getString("status");
            if (s.equals(state)) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("XProtect never became " + state);
    }

    @Test
    void outageAnswers503WithRetryAfterAndTheGatewayRecoversByItself() throws Exception {
        assertEquals(200, gw.http.get("/api/v1/milestone/cameras").status());
        String device = gw.simulator.site().cameras().get(1).id();
        gw.simulator.faults().drop("/", -1);

        Http.Answer list = gw.http.get("/api/v1/milestone/cameras");
        assertEquals(503, list.status(), list.body());
        assertNotNull(list.header("Retry-After"));
        assertTrue(Integer.parseInt(list.header("Retry-After")) >= 1);
        assertEquals("XProtect is unavailable", list.json().getString("error"));

        Http.Answer imp = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + device + "\"}");
        assertEquals(503, imp.status(), imp.body());
        assertEquals(0L, gw.http.get("/api/v1/cameras").json().getLong("total"), "nothing half-imported");

        waitForXProtect("degraded");
        assertEquals("up", ready().getJsonObject("checks").getJsonObject("database").getString("status"));

        gw.simulator.faults().clear();
        waitForXProtect("up");
        assertEquals(200, gw.http.get("/api/v1/milestone/cameras").status());
        assertEquals(201, gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + device + "\"}").status());
    }

    @Test
    void errorAnswersFromXProtectAreRetriedThenReportedAs503() throws Exception {
        gw.simulator.faults().error("/api/rest/v1/cameras", 500, 1);
        assertEquals(200, gw.http.get("/api/v1/milestone/cameras").status(), "one 500 is retried away");
        gw.simulator.faults().error("/api/rest/v1/cameras", 503, -1);
        assertEquals(503, gw.http.get("/api/v1/milestone/cameras").status());
    }

    @Test
    void tokensExpiredMidUseAreRenewedWithoutTheClientNoticing() throws Exception {
        assertEquals(200, gw.http.get("/api/v1/milestone/cameras").status());
        long tokensBefore = gw.simulator.requests().count("POST", "/API/IDP/connect/token");
        gw.simulator.expireTokens();
        assertEquals(200, gw.http.get("/api/v1/milestone/cameras").status());
        assertEquals(tokensBefore + 1, gw.simulator.requests().count("POST", "/API/IDP/connect/token"));
    }

    @Test
    void rejectedCredentialsAre503NamingTheCause() throws Exception {
        gw.simulator.rejectLogins(true);
        gw.simulator.expireTokens();
        Http.Answer a = gw.http.get("/api/v1/milestone/cameras");
        assertEquals(503, a.status());
        assertEquals("XProtect refused the gateway's login", a.json().getString("error"));
        assertTrue(a.json().getString("detail").contains("invalid_grant"), a.body());
    }
}
