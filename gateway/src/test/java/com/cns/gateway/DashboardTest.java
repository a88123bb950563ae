package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.support.MediaProbe;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.GatewayLauncher.RouteInfo;
import com.cns.gateway.testsupport.Http;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard as the gateway serves it (index.html uncached with a fallback for the app's routes,
 * hashed assets immutable), its sign-in in Chromium, and the OpenAPI description its API types are
 * generated from, checked against the router's own routes both ways.
 */
class DashboardTest {
    private static final Path SCRIPTS = Path.of("src", "test", "browser");
    private static GatewayHarness gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness();
        String device = gw.simulator.site().cameras().get(0).id();
        assertEquals(201, gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + device + "\"}").status());
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @Test
    void theAppIsServedAtRootWithAFallbackAndCachedAssets() throws Exception {
        Http anonymous = gw.http.anonymous();
        Http.Answer index = anonymous.get("/");
        assertEquals(200, index.status(), index.body() + " " + index.headers().map());
        assertTrue(index.header("Content-Type").startsWith("text/html"), index.header("Content-Type"));
        assertEquals("no-cache", index.header("Cache-Control"));
        assertTrue(index.body().contains("<div id=\"root\">"), index.body());
        Http.Answer route = anonymous.get("/cameras/some-camera");
        assertEquals(200, route.status());
        assertEquals(index.body(), route.body(), "the app's own routes answer index.html");
        Matcher asset = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(index.body());
        assertTrue(asset.find(), index.body());
        var js = anonymous.bytes(asset.group(1));
        assertEquals(200, js.statusCode());
        String caching = js.headers().firstValue("Cache-Control").orElse("");
        assertTrue(caching.contains("max-age=31536000") && caching.contains("immutable"), caching);
        assertEquals(404, anonymous.bytes("/assets/nothing-here.js").statusCode());
        Http.Answer api = anonymous.get("/api/v1/nothing");
        assertEquals(404, api.status(), "the API keeps its own JSON answers: " + api.body());
        assertTrue(api.header("Content-Type").startsWith("application/json"));
        assertEquals(404, anonymous.post("/api/v1/nothing", "{}").status(), "the fallback takes no API path, whatever the method");
        assertEquals(405, gw.http.send("PATCH", "/api/v1/cameras", "{}").status(), "and leaves the API's 405s alone");
    }

    @Test
    void anOperatorSignsInSeesWhoAndWhatAndSignsOutInChromium() throws Exception {
        JsonObject admin = run("admin", GatewayHarness.ADMIN_PASSWORD);
        assertEquals(0, admin.getJsonArray("errors").size(), admin.encodePrettily());
        assertTrue(admin.getBoolean("signInShown"), admin.encode());
        assertEquals("Wrong user name or password", admin.getString("wrongPassword"));
        assertEquals("admin admin", admin.getString("who").replaceAll("\\s+", " ").trim());
        assertEquals("1 camera(s)", admin.getString("total"));
        assertTrue(admin.getBoolean("syncShown"), "an admin has the sync-all control");
        assertTrue(admin.getString("syncStatus").matches("Syncing.*|Sync completed.*"), admin.encode());
        assertEquals(admin.getString("who"), admin.getString("afterReload"), "a reload keeps the session");
        assertTrue(admin.getBoolean("signInAfterSignOut"), "signed out for good");

        gw.as("dash-viewer", "viewer", "BUS");
        JsonObject viewer = run("dash-viewer", GatewayHarness.USER_PASSWORD);
        assertEquals(0, viewer.getJsonArray("errors").size(), viewer.encodePrettily());
        assertEquals("dash-viewer viewer", viewer.getString("who").replaceAll("\\s+", " ").trim());
        assertEquals("0 camera(s)", viewer.getString("total"), "the imported camera is OTHER, not BUS");
        assertFalse(viewer.getBoolean("syncShown"), "a viewer does not get the admin's control");
    }

    private static JsonObject run(String user, String password) throws Exception {
        MediaProbe.Run run = MediaProbe.run("node", SCRIPTS.resolve("dashboard.mjs").toString(), gw.http.base(), user,
                password);
        assertEquals(0, run.exit(), run.err());
        return new JsonObject(new String(run.out()).trim());
    }

    @Test
    void theOpenApiDescriptionAndTheRouterAgreeBothWays() throws Exception {
        Set<String> described = new TreeSet<>();
        String path = null;
        for (String line : Files.readAllLines(Path.of("..", "docs", "openapi.yaml"))) {
            Matcher p = Pattern.compile("^  (/api/v1\\S*):\\s*$").matcher(line);
            Matcher m = Pattern.compile("^    (get|post|put|delete|patch):\\s*$").matcher(line);
            if (p.matches()) {
                path = p.group(1);
            } else if (m.matches() && path != null) {
                described.add(m.group(1).toUpperCase() + " " + path);
            } else if (!line.startsWith(" ") && !line.isBlank()) {
                path = null;
            }
        }
        Set<String> routed = new TreeSet<>();
        for (RouteInfo r : gw.routes()) {
            if (r.path().startsWith("/api/v1/")) {
                String p = r.path().replaceAll(":([A-Za-z]+)", "{$1}");
                routed.add(r.method() + " " + (p.endsWith("/") ? p.substring(0, p.length() - 1) : p));
            }
        }
        assertEquals(routed, described, "docs/openapi.yaml against the router's routes");
    }
}
