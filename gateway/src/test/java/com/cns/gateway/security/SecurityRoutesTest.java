package com.cns.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.GatewayLauncher.RouteInfo;
import com.cns.gateway.testsupport.Http;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every route the router declares, called by every kind of caller: no token, an expired, forged,
 * unsigned, other-audience and other-issuer token, and a user of each role. The routes come from the
 * gateway's own route list, and the role each needs is written out here, both ways: a new route that
 * is not in {@link #EXPECTED} fails the test, as does a route here the gateway lost.
 */
class SecurityRoutesTest {
    /** Method and path to the role it needs; "open": no token needed. */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        for (String line : List.of(
                "GET /api/v1/cameras/:id/playback/hls/:version/:speed/:file viewer",
                "GET /api/v1/cameras/:id/playback/stream viewer",
                "GET /api/v1/cameras/:id/playback/snapshot viewer",
                "POST /api/v1/cameras/:id/playback/control viewer",
                "POST /api/v1/cameras/:id/recordings/start operator",
                "POST /api/v1/cameras/:id/recordings/stop operator",
                "GET /api/v1/cameras/:id/recordings/status viewer",
                "POST /api/v1/cameras/:id/recordings/query viewer",
                "GET /api/v1/cameras/:id/recordings/sequences viewer",
                "GET /api/v1/cameras/:id/recordings/timeline viewer",
                "POST /api/v1/cameras/import admin",
                "GET /api/v1/cameras/ viewer",
                "GET /api/v1/cameras/:id viewer",
                "PUT /api/v1/cameras/:id/sync admin",
                "PUT /api/v1/cameras/:id admin",
                "DELETE /api/v1/cameras/:id admin",
                "POST /api/v1/cameras/:id/exports viewer",
                "GET /api/v1/exports/public-key open",
                "GET /api/v1/exports/ viewer",
                "GET /api/v1/exports/:exportId viewer",
                "GET /api/v1/exports/:exportId/file viewer",
                "GET /api/v1/exports/:exportId/manifest viewer",
                "DELETE /api/v1/exports/:exportId viewer",
                "GET /api/v1/milestone/cameras admin",
                "POST /api/v1/milestone/sync-all admin",
                "GET /api/v1/milestone/sync-jobs/:id admin",
                "POST /api/v1/auth/login open",
                "POST /api/v1/auth/refresh open",
                "POST /api/v1/auth/logout open",
                "GET /api/v1/auth/me viewer",
                "GET /api/v1/users/ admin",
                "POST /api/v1/users/ admin",
                "GET /api/v1/users/:username admin",
                "PUT /api/v1/users/:username admin",
                "DELETE /api/v1/users/:username admin",
                "GET /api/v1/audit/ admin",
                "GET /health/live open",
                "GET /health/ready open",
                "GET /ws open",
                "GET /metrics open")) {
            int last = line.lastIndexOf(' ');
            EXPECTED.put(line.substring(0, last), line.substring(last + 1));
        }
    }

    private static final List<String> ROLES = List.of("viewer", "operator", "admin");
    private static GatewayHarness gw;
    private static Map<String, Http> byRole;
    private static Map<String, String> badTokens;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness();
        byRole = Map.of("viewer", gw.as("a-viewer", "viewer", "*"), "operator", gw.as("an-operator", "operator", "*"),
                "admin", gw.http);
        Tokens t = new Tokens(gw.simulatorVertx, gw.jdbcUrl);
        badTokens = new LinkedHashMap<>();
        badTokens.put("expired", t.expired());
        badTokens.put("forged", t.forged());
        badTokens.put("alg=none", t.unsigned());
        badTokens.put("other audience", t.wrongAudience());
        badTokens.put("other issuer", t.wrongIssuer());
        badTokens.put("not a JWT", "not-a-jwt");
        // The minted good token passes, so the bad ones fail for what they are, not for how they were made.
        assertEquals(200, gw.http.withToken(t.valid()).get("/api/v1/auth/me").status());
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @Test
    void theRouteListAndTheExpectedTableAgreeBothWays() {
        Map<String, String> declared = new LinkedHashMap<>();
        for (RouteInfo r : gw.routes()) {
            declared.put(r.method() + " " + r.path(), r.role() == null ? "open" : r.role());
        }
        assertEquals(new TreeSet<>(EXPECTED.keySet()), new TreeSet<>(declared.keySet()),
                "routes declared vs the table here");
        assertEquals(new java.util.TreeMap<>(EXPECTED), new java.util.TreeMap<>(declared), "role of each route");
    }

    @TestFactory
    Stream<DynamicTest> everyRouteAnswersEveryCallerAsItsRoleSays() {
        List<DynamicTest> tests = new ArrayList<>();
        for (RouteInfo r : gw.routes()) {
            if (r.path().equals("/ws")) {
                continue; // a WebSocket upgrade: SecurityApiTest opens it with and without tokens
            }
            String path = concrete(r.path());
            String body = r.method().equals("POST") || r.method().equals("PUT") ? "{}" : null;
            if (r.role() == null) {
                tests.add(DynamicTest.dynamicTest(r.method() + " " + r.path() + " open", () -> {
                    Http.Answer a = gw.http.anonymous().send(r.method(), path, body);
                    assertTrue(a.status() != 401 && a.status() != 403, a.status() + " " + a.body());
                }));
                continue;
            }
            tests.add(DynamicTest.dynamicTest(r.method() + " " + r.path() + " without a token: 401", () -> {
                Http.Answer a = gw.http.anonymous().send(r.method(), path, body);
                assertUnauthorized(a, null);
            }));
            badTokens.forEach((kind, token) -> tests.add(DynamicTest.dynamicTest(
                    r.method() + " " + r.path() + " with a token " + kind + ": 401", () -> {
                        Http.Answer a = gw.http.withToken(token).send(r.method(), path, body);
                        assertUnauthorized(a, "invalid_token");
                    })));
            for (String role : ROLES) {
                boolean allowed = ROLES.indexOf(role) >= ROLES.indexOf(r.role());
                tests.add(DynamicTest.dynamicTest(r.method() + " " + r.path() + " as " + role + ": "
                        + (allowed ? "allowed" : "403"), () -> {
                            Http.Answer a = byRole.get(role).send(r.method(), path, body);
                            if (allowed) {
                                assertTrue(a.status() != 401 && a.status() != 403, a.status() + " " + a.body());
                            } else {
                                assertEquals(403, a.status(), a.body());
                                assertEquals(r.role(), a.json().getString("requiredRole"), a.body());
                                assertTrue(a.json().getString("error").contains(r.role()), a.body());
                            }
                        }));
            }
        }
        assertTrue(tests.size() > 200, "the table covers every route: " + tests.size());
        return tests.stream();
    }

    private static void assertUnauthorized(Http.Answer a, String code) {
        assertEquals(401, a.status(), a.body());
        String challenge = a.header("WWW-Authenticate");
        assertNotNull(challenge, "401 carries WWW-Authenticate");
        assertTrue(challenge.startsWith("Bearer realm="), challenge);
        if (code != null) {
            assertTrue(challenge.contains("error=\"" + code + "\""), challenge);
        }
        assertTrue(a.header("Content-Type").startsWith("application/json"), a.header("Content-Type"));
        assertNotNull(a.json().getString("error"), a.body());
    }

    /** A path with its parameters filled with ids that exist nowhere, so no route changes anything. */
    private static String concrete(String template) {
        return Stream.of(template.split("/")).map(part -> switch (part) {
            case ":id" -> template.contains("/sync-jobs/") ? "sync_" + UUID.randomUUID() : UUID.randomUUID().toString();
            case ":username" -> "nobody-here";
            case ":exportId" -> "exp_" + UUID.randomUUID();
            case ":version" -> "v1";
            case ":speed" -> "1";
            case ":file" -> "0_4000.ts";
            default -> part;
        }).collect(Collectors.joining("/")) + (template.endsWith("/") ? "/" : "");
    }
}
