package com.cns.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.xprotect.simulator.SimulatorOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Test;

/**
 * AUTH_MODE=oidc against a real OpenID Connect provider on loopback (mock-oauth2-server): discovery,
 * its JWKS, issuer and audience checks, and role and cameras from the token's claims.
 */
class OidcApiTest {

    @Test
    void tokensOfTheIdentityProviderAreVerifiedAndMappedToRolesAndCameras() throws Exception {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start();
        try {
            String issuer = idp.issuerUrl("control-room").toString();
            Map<String, String> env = Map.of("AUTH_MODE", "oidc", "AUTH_OIDC_ISSUER", issuer,
                    "AUTH_OIDC_AUDIENCE", "cns-gateway", "AUTH_OIDC_ROLE_CLAIM", "realm_access.roles");
            try (GatewayHarness gw = GatewayHarness.withoutSignIn(SimulatorOptions.defaults(), env)) {
                Http anonymous = gw.http;
                String admin = token(idp, "alice", "cns-gateway", List.of("offline_access", "admin"), List.of("*"));
                Http alice = anonymous.withToken(admin);
                Http.Answer me = awaitReady(alice);
                assertEquals(new JsonObject().put("username", "alice").put("role", "admin")
                        .put("cameras", new io.vertx.core.json.JsonArray().add("*")), me.json());
                String device = gw.simulator.site().cameras().get(0).id();
                assertEquals(201, alice.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + device
                        + "\",\"source\":\"METRO\"}").status());
                assertEquals(201, alice.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\""
                        + gw.simulator.site().cameras().get(1).id() + "\",\"source\":\"BUS\"}").status());

                Http bob = anonymous.withToken(token(idp, "bob", "cns-gateway", List.of("viewer"), List.of("METRO")));
                JsonObject list = bob.get("/api/v1/cameras").json();
                assertEquals(1, list.getLong("total"), list.encode());
                assertEquals(403, bob.post("/api/v1/milestone/sync-all", "{}").status());

                Http.Answer otherAudience = anonymous.withToken(token(idp, "eve", "another-app", List.of("admin"),
                        List.of("*"))).get("/api/v1/auth/me");
                assertEquals(401, otherAudience.status(), otherAudience.body());
                Http.Answer noRole = anonymous.withToken(token(idp, "nora", "cns-gateway", List.of("staff"), List.of("*")))
                        .get("/api/v1/auth/me");
                assertEquals(401, noRole.status());
                assertTrue(noRole.json().getString("error").contains("no CNS role"), noRole.body());
                // Another issuer of the same server signs with other keys.
                String foreign = idp.issueToken("elsewhere", "mallory", "cns-gateway", Map.of("realm_access",
                        Map.of("roles", List.of("admin")))).serialize();
                assertEquals(401, anonymous.withToken(foreign).get("/api/v1/auth/me").status());
                // Users are the identity provider's: the gateway's own sign-in is not there.
                assertEquals(404, anonymous.post("/api/v1/auth/login", "{\"username\":\"a\",\"password\":\"b\"}").status());
            }
        } finally {
            idp.shutdown();
        }
    }

    private static String token(MockOAuth2Server idp, String user, String audience, List<String> roles,
                                List<String> cameras) {
        return idp.issueToken("control-room", user, audience, Map.of("preferred_username", user,
                "realm_access", Map.of("roles", roles), "cameras", cameras)).serialize();
    }

    /** Discovery runs as the gateway starts; the first answers may be 503 until it has the provider's keys. */
    private static Http.Answer awaitReady(Http http) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        Http.Answer a = http.get("/api/v1/auth/me");
        while (a.status() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            a = http.get("/api/v1/auth/me");
        }
        assertEquals(200, a.status(), a.body());
        return a;
    }

    /** An identity provider that is down when the gateway starts: 503 with a reason, then recovery once it is up. */
    @Test
    void anIdentityProviderDownAtStartGives503UntilItIsReached() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        MockOAuth2Server idp = new MockOAuth2Server();
        String issuer = "http://localhost:" + port + "/control-room";
        Map<String, String> env = Map.of("AUTH_MODE", "oidc", "AUTH_OIDC_ISSUER", issuer,
                "AUTH_OIDC_AUDIENCE", "cns-gateway", "AUTH_OIDC_ROLE_CLAIM", "realm_access.roles");
        try (GatewayHarness gw = GatewayHarness.withoutSignIn(SimulatorOptions.defaults(), env)) {
            Http.Answer early = gw.http.withToken("a.b.c").get("/api/v1/auth/me");
            assertEquals(503, early.status(), early.body());
            assertTrue(early.json().getString("error").contains("has not been reached"), early.body());
            assertEquals(200, gw.http.get("/health/live").status(), "the gateway itself is up");
            idp.start(port);
            String token = token(idp, "alice", "cns-gateway", List.of("viewer"), List.of("*"));
            assertEquals(200, awaitReady(gw.http.withToken(token)).status(), "discovery retried until the provider answered");
        } finally {
            idp.shutdown();
        }
    }
}
