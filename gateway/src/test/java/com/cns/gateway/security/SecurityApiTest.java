package com.cns.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.Await;
import com.cns.gateway.testsupport.EventClient;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatorOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sign-in, users, camera permissions, signed playback URLs, the event WebSocket and the audit, end to end. */
class SecurityApiTest {
    private static GatewayHarness gw;
    private static String metro;
    private static String bus;
    private static String metroDevice;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness();
        metroDevice = gw.simulator.site().cameras().get(0).id();
        metro = importCamera(metroDevice, "METRO");
        bus = importCamera(gw.simulator.site().cameras().get(1).id(), "BUS");
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static String importCamera(String device, String source) throws Exception {
        Http.Answer a = gw.http.post("/api/v1/cameras/import", new JsonObject().put("milestoneDeviceId", device)
                .put("source", source).encode());
        assertEquals(201, a.status(), a.body());
        return a.json().getString("id");
    }

    private static Http.Answer login(String user, String password) throws Exception {
        return gw.http.anonymous().post("/api/v1/auth/login", new JsonObject().put("username", user)
                .put("password", password).encode());
    }

    @Test
    void aLoginAnswersTokensAndTheUserAndARefreshSpendsItsToken() throws Exception {
        Http.Answer a = login("admin", GatewayHarness.ADMIN_PASSWORD);
        assertEquals(200, a.status(), a.body());
        JsonObject s = a.json();
        assertEquals(900, s.getLong("expiresIn"));
        assertEquals(new JsonObject().put("username", "admin").put("role", "admin").put("cameras", new JsonArray().add("*")),
                s.getJsonObject("user"));
        String refresh = s.getString("refreshToken");
        Http.Answer r = gw.http.anonymous().post("/api/v1/auth/refresh", new JsonObject().put("refreshToken", refresh).encode());
        assertEquals(200, r.status(), r.body());
        assertEquals(200, gw.http.withToken(r.json().getString("accessToken")).get("/api/v1/auth/me").status());
        // A refresh token buys one pair: spent, it answers 401.
        Http.Answer again = gw.http.anonymous().post("/api/v1/auth/refresh", new JsonObject().put("refreshToken", refresh).encode());
        assertEquals(401, again.status(), again.body());
        // A logout revokes the new one.
        String second = r.json().getString("refreshToken");
        assertEquals(204, gw.http.anonymous().post("/api/v1/auth/logout", new JsonObject().put("refreshToken", second)
                .encode()).status());
        assertEquals(401, gw.http.anonymous().post("/api/v1/auth/refresh", new JsonObject().put("refreshToken", second)
                .encode()).status());
        JsonArray rows = gw.http.get("/api/v1/audit?action=auth.logout").json().getJsonArray("entries");
        assertEquals("admin", rows.getJsonObject(0).getString("user"));
        assertEquals("127.0.0.1", rows.getJsonObject(0).getString("clientAddress"));
        // With no trusted proxy configured, a client's own X-Forwarded-For names nobody.
        Http.Answer spoofed = gw.http.anonymous().send("POST", "/api/v1/auth/login",
                new JsonObject().put("username", "spoofing-client").put("password", "wrong").encode(),
                "X-Forwarded-For", "203.0.113.9");
        assertEquals(401, spoofed.status());
        Await.until("the audit row", Duration.ofSeconds(5), () -> !gw.http.get(
                "/api/v1/audit?action=auth.login&user=spoofing-client").json().getJsonArray("entries").isEmpty());
        assertEquals("127.0.0.1", gw.http.get("/api/v1/audit?action=auth.login&user=spoofing-client").json().getJsonArray("entries")
                .getJsonObject(0).getString("clientAddress"));
    }

    @Test
    void repeatedFailedLoginsAre429ThenTheUserIsLockedOutAndItIsAudited() throws Exception {
        gw.as("locky", "viewer", "*");
        for (int i = 0; i < 5; i++) {
            Http.Answer a = login("locky", "wrong password " + i);
            assertEquals(401, a.status(), a.body());
            assertEquals("Wrong user name or password", a.json().getString("error"));
        }
        Http.Answer locked = login("locky", GatewayHarness.USER_PASSWORD);
        assertEquals(429, locked.status(), locked.body());
        long retry = Long.parseLong(locked.header("Retry-After"));
        assertTrue(retry > 0 && retry <= 900, "Retry-After " + retry);
        JsonArray rows = gw.http.get("/api/v1/audit?user=locky&action=auth.login").json().getJsonArray("entries");
        assertEquals("denied", rows.getJsonObject(0).getString("outcome"), rows.encodePrettily());
        assertEquals(5, rows.stream().filter(o -> ((JsonObject) o).getString("outcome").equals("failure")).count());
        // Another user is not locked by locky's failures.
        assertEquals(200, login("admin", GatewayHarness.ADMIN_PASSWORD).status());
    }

    @Test
    void adminsManageUsersWithClearErrors() throws Exception {
        Http admin = gw.http;
        assertEquals(400, admin.post("/api/v1/users", "{\"username\":\"shorty\",\"password\":\"short\",\"role\":\"viewer\"}").status());
        Http.Answer badRole = admin.post("/api/v1/users", "{\"username\":\"r\",\"password\":\"long enough password\",\"role\":\"boss\"}");
        assertEquals(400, badRole.status());
        assertTrue(badRole.json().getString("error").contains("viewer, operator, admin"), badRole.body());
        Http.Answer badCameras = admin.post("/api/v1/users", "{\"username\":\"c\",\"password\":\"long enough password\",\"cameras\":[\"ARMY\"]}");
        assertEquals(400, badCameras.status());
        Http.Answer made = admin.post("/api/v1/users", "{\"username\":\"olivia\",\"password\":\"long enough password\",\"role\":\"operator\",\"cameras\":[\"METRO\"]}");
        assertEquals(201, made.status(), made.body());
        assertEquals("/api/v1/users/olivia", made.header("Location"));
        assertEquals(409, admin.post("/api/v1/users", "{\"username\":\"OLIVIA\",\"password\":\"long enough password\"}").status());
        assertEquals(new JsonArray().add("METRO"), admin.get("/api/v1/users/olivia").json().getJsonArray("cameras"));
        Http.Answer cleared = admin.put("/api/v1/users/olivia", "{\"role\":null}");
        assertEquals(400, cleared.status());
        assertTrue(cleared.json().getString("error").contains("cannot be cleared"), cleared.body());
        assertEquals("viewer", admin.put("/api/v1/users/olivia", "{\"role\":\"viewer\"}").json().getString("role"));
        // A new password ends the user's sessions.
        String refresh = login("olivia", "long enough password").json().getString("refreshToken");
        assertEquals(200, admin.put("/api/v1/users/olivia", "{\"password\":\"another long password\"}").status());
        assertEquals(401, gw.http.anonymous().post("/api/v1/auth/refresh", new JsonObject().put("refreshToken", refresh).encode()).status());
        assertEquals(200, login("olivia", "another long password").status());
        assertEquals(409, admin.put("/api/v1/users/admin", "{\"role\":\"viewer\"}").status(), "the last admin stays an admin");
        assertEquals(409, admin.delete("/api/v1/users/admin").status(), "the last admin cannot be deleted");
        assertEquals(204, admin.delete("/api/v1/users/olivia").status());
        assertEquals(404, admin.get("/api/v1/users/olivia").status());
        Await.until("the user.delete audit row", Duration.ofSeconds(5), () -> admin.get("/api/v1/audit?action=user")
                .json().getJsonArray("entries").stream().anyMatch(o -> ((JsonObject) o).getString("action")
                        .equals("user.delete")));
    }

    @Test
    void aCameraOutsideTheUsersPermissionDoesNotExistForItOnAnyRoute() throws Exception {
        Http metroViewer = gw.as("metro-viewer", "operator", "METRO");
        JsonObject list = metroViewer.get("/api/v1/cameras").json();
        assertEquals(1, list.getLong("total"), list.encode());
        assertEquals(metro, list.getJsonArray("cameras").getJsonObject(0).getString("id"));
        Http.Answer unknown = metroViewer.get("/api/v1/cameras/" + java.util.UUID.randomUUID());
        Instant t = span(gw.simulator.site().cameras().get(1).id()).begin().plusSeconds(5);
        for (String[] call : List.of(
                new String[] {"GET", "/api/v1/cameras/" + bus, null},
                new String[] {"GET", "/api/v1/cameras/" + bus + "/recordings/status", null},
                new String[] {"GET", "/api/v1/cameras/" + bus + "/recordings/timeline?startTime=" + t + "&endTime=" + t.plusSeconds(60), null},
                new String[] {"GET", "/api/v1/cameras/" + bus + "/recordings/sequences?startTime=" + t + "&endTime=" + t.plusSeconds(60), null},
                new String[] {"POST", "/api/v1/cameras/" + bus + "/recordings/query", "{\"startTime\":\"" + t + "\",\"endTime\":\"" + t.plusSeconds(60) + "\"}"},
                new String[] {"POST", "/api/v1/cameras/" + bus + "/recordings/start", "{}"},
                new String[] {"POST", "/api/v1/cameras/" + bus + "/recordings/stop", null},
                new String[] {"GET", "/api/v1/cameras/" + bus + "/playback/stream?time=" + t, null},
                new String[] {"GET", "/api/v1/cameras/" + bus + "/playback/snapshot?time=" + t, null},
                new String[] {"GET", "/api/v1/cameras/" + bus + "/playback/hls/v1/1/" + (t.toEpochMilli() / 4000 * 4000) + "_4000.ts", null},
                new String[] {"POST", "/api/v1/cameras/" + bus + "/playback/control", "{\"action\":\"play\",\"timestamp\":\"" + t + "\"}"})) {
            Http.Answer a = metroViewer.send(call[0], call[1], call[2]);
            assertEquals(404, a.status(), call[0] + " " + call[1] + ": " + a.body());
            assertEquals(unknown.json().getString("error").replaceAll("[0-9a-f-]{36}", "ID"),
                    a.json().getString("error").replaceAll("[0-9a-f-]{36}", "ID"), "answered as an unknown camera");
        }
        // The same user sees its own camera.
        assertEquals(200, metroViewer.get("/api/v1/cameras/" + metro + "/recordings/status").status());
        // Events: a recording on the bus camera never reaches the metro viewer's WebSocket; one on the metro camera does.
        try (EventClient events = new EventClient(metroViewer)) {
            assertEquals(200, gw.http.post("/api/v1/cameras/" + bus + "/recordings/start", "{\"duration\":60}").status());
            assertEquals(200, gw.http.post("/api/v1/cameras/" + metro + "/recordings/start", "{\"duration\":60}").status());
            JsonObject started = events.next("recording_started", Duration.ofSeconds(5));
            assertEquals(metro, started.getString("cameraId"));
            assertEquals(200, gw.http.post("/api/v1/cameras/" + bus + "/recordings/stop", null).status());
            assertEquals(200, gw.http.post("/api/v1/cameras/" + metro + "/recordings/stop", null).status());
            events.next("recording_stopped", Duration.ofSeconds(5));
            Thread.sleep(300);
            assertTrue(events.seen().stream().noneMatch(e -> bus.equals(e.getString("cameraId"))), events.seen().toString());
        }
    }

    private static RecordedSpan span(String device) {
        Instant now = Instant.now();
        return gw.simulator.history().spans(device, now.minus(Duration.ofDays(9)), now.minus(Duration.ofDays(2)))
                .stream().filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() >= 60_000).findFirst().orElseThrow();
    }

    @Test
    void aSignedPlaylistUrlPlaysWithoutHeadersAndATamperedOneIs403() throws Exception {
        Instant t = span(metroDevice).begin().plusSeconds(5);
        Http.Answer control = gw.http.post("/api/v1/cameras/" + metro + "/playback/control",
                new JsonObject().put("action", "play").put("timestamp", t.toString()).encode());
        assertEquals(200, control.status(), control.body());
        String url = control.json().getString("playlistUrl");
        assertTrue(url.matches(".*&u=admin&e=\\d+&h=[\\w-]+&s=[\\w-]+&since=\\d+$"), url);
        Http anonymous = gw.http.anonymous();
        Http.Answer playlist = anonymous.get(url);
        assertEquals(200, playlist.status(), playlist.body());
        assertTrue(playlist.header("Cache-Control").startsWith("private"), playlist.header("Cache-Control"));
        List<String> uris = playlist.body().lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertFalse(uris.isEmpty(), playlist.body());
        String base = "/api/v1/cameras/" + metro + "/playback/";
        for (String uri : uris) {
            assertTrue(uri.contains("?u=admin&e="), uri);
            assertEquals(200, anonymous.bytes(base + uri).statusCode(), uri);
        }
        String segment = base + uris.get(0);
        String bare = segment.substring(0, segment.indexOf('?'));
        assertEquals(401, anonymous.get(bare).status(), "neither token nor signature");
        Http.Answer tampered = anonymous.get(segment.replaceAll("&h=[\\w-]+", "&h=AAAA"));
        assertEquals(403, tampered.status());
        assertEquals("bad_signature", tampered.json().getString("reason"));
        assertEquals(403, anonymous.get(segment.replaceAll("&e=(\\d+)", "&e=9$1")).status(), "a later expiry");
        assertEquals(403, anonymous.get(segment.replace(metro, bus)).status(), "another camera's path");
        assertEquals(403, anonymous.get(url.replace("u=admin", "u=root")).status(), "another user");
    }

    @Test
    void theWebSocketWantsATokenAtTheUpgrade() throws Exception {
        URI ws = URI.create(gw.http.base().replaceFirst("^http", "ws") + "/ws");
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
                HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() { })
                        .get(10, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof WebSocketHandshakeException h && h.getResponse().statusCode() == 401,
                String.valueOf(refused.getCause()));
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(ws + "?access_token=" + gw.http.token()), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        first.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText(new JsonObject().put("type", "refresh").put("accessToken", gw.http.token()).encode(), true);
        assertEquals("refreshed", new JsonObject(first.get(5, TimeUnit.SECONDS)).getString("type"));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }

    /** A gateway whose tokens last 3 s, whose keys rotate every 10 s and whose clock the test moves. */
    @Test
    void tokensExpireKeysRotateWithoutLoggingAnyoneOutAndSignedUrlsExpire() throws Exception {
        com.cns.gateway.testsupport.TestClock clock = new com.cns.gateway.testsupport.TestClock(Instant.now());
        try (GatewayHarness short_ = new GatewayHarness(SimulatorOptions.defaults(), java.util.Map.of(
                "AUTH_ACCESS_TOKEN_TTL", "3s", "AUTH_KEY_ROTATION", "10s", "METRICS_AUTH", "true"), clock)) {
            assertEquals(401, short_.http.anonymous().get("/metrics").status(), "METRICS_AUTH=true");
            assertEquals(200, short_.http.get("/metrics").status());
            // A WebSocket closes when its token expires.
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + short_.http.token())
                    .buildAsync(URI.create(short_.http.base().replaceFirst("^http", "ws") + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                            closed.complete(status);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertEquals(1008, closed.get(10, TimeUnit.SECONDS));
            Await.until("the harness's token expired", Duration.ofSeconds(10),
                    () -> short_.http.get("/api/v1/auth/me").status() == 401);
            Http expiredUser = short_.http;
            assertEquals("The token has expired", expiredUser.get("/api/v1/auth/me").json().getString("error"));

            // Rotation: a token of the old key still holds once the next key signs.
            Http before = short_.http.anonymous().signIn("admin", GatewayHarness.ADMIN_PASSWORD);
            String oldKid = kid(before.token());
            clock.advance(Duration.ofSeconds(10));
            Await.until("a new signing key", Duration.ofSeconds(10), () -> !kid(short_.http.anonymous()
                    .signIn("admin", GatewayHarness.ADMIN_PASSWORD).token()).equals(oldKid));
            assertEquals(200, before.get("/api/v1/auth/me").status(), "signed with the previous key, still valid");

            // Signed URLs expire at their e, whatever the tokens do.
            Http admin = short_.http.anonymous().signIn("admin", GatewayHarness.ADMIN_PASSWORD);
            String device = short_.simulator.site().cameras().get(0).id();
            String camera = admin.post("/api/v1/cameras/import", new JsonObject().put("milestoneDeviceId", device).encode())
                    .json().getString("id");
            Instant now = clock.instant();
            RecordedSpan s = short_.simulator.history().spans(device, now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(2)))
                    .stream().filter(x -> x.end().toEpochMilli() - x.begin().toEpochMilli() >= 60_000).findFirst().orElseThrow();
            String url = admin.post("/api/v1/cameras/" + camera + "/playback/control", new JsonObject().put("action", "play")
                    .put("timestamp", s.begin().plusSeconds(5).toString()).encode()).json().getString("playlistUrl");
            assertEquals(200, short_.http.anonymous().get(url).status());
            clock.advance(Duration.ofHours(5));
            Http.Answer late = short_.http.anonymous().get(url);
            assertEquals(403, late.status(), late.body());
            assertTrue(late.json().getString("error").contains("expired"), late.body());
        }
    }

    private static String kid(String jwt) {
        return new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[0]))).getString("kid");
    }

    @Test
    void everyRecordingActionIsAuditedWithWhoAndWhere() throws Exception {
        Http operator = gw.as("audited-op", "operator", "*");
        assertEquals(200, operator.post("/api/v1/cameras/" + metro + "/recordings/start", "{\"duration\":30}").status());
        assertEquals(200, operator.post("/api/v1/cameras/" + metro + "/recordings/stop", null).status());
        // The row is written once the answer is sent.
        Await.until("two audit rows", Duration.ofSeconds(5), () -> gw.http.get("/api/v1/audit?user=audited-op&camera="
                + metro).json().getJsonArray("entries").size() == 2);
        JsonArray rows = gw.http.get("/api/v1/audit?user=audited-op&camera=" + metro).json().getJsonArray("entries");
        assertEquals(List.of("recording.stop", "recording.start"), rows.stream()
                .map(o -> ((JsonObject) o).getString("action")).toList());
        JsonObject start = rows.getJsonObject(1);
        assertEquals("operator", start.getString("role"));
        assertEquals("success", start.getString("outcome"));
        assertNotNull(start.getString("at"));
        assertEquals("127.0.0.1", start.getString("clientAddress"));
        // A viewer's refused start is audited as denied.
        Http viewer = gw.as("audited-viewer", "viewer", "*");
        assertEquals(403, viewer.post("/api/v1/cameras/" + metro + "/recordings/start", "{}").status());
        String deniedRows = "/api/v1/audit?user=audited-viewer&action=recording.start";
        Await.until("the denial's audit row", Duration.ofSeconds(5), () -> gw.http.get(deniedRows)
                .json().getJsonArray("entries").size() == 1);
        JsonObject denied = gw.http.get(deniedRows).json().getJsonArray("entries").getJsonObject(0);
        assertEquals("denied", denied.getString("outcome"));
        assertEquals("recording.start", denied.getString("action"));
        assertEquals(400, gw.http.get("/api/v1/audit?camera=nope").status());
    }

    @Test
    void withoutAuthAdminPasswordTheFirstAdminGetsARandomOneInDataDir() throws Exception {
        try (GatewayHarness fresh = GatewayHarness.withoutSignIn(SimulatorOptions.defaults(),
                java.util.Map.of("AUTH_ADMIN_PASSWORD", ""))) {
            java.nio.file.Path file = fresh.dataDir.resolve("initial-admin-password");
            String password = java.nio.file.Files.readString(file).trim();
            assertTrue(password.length() >= 20, "a long random password");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(file)));
            assertEquals(401, fresh.http.get("/api/v1/cameras").status());
            assertEquals(200, fresh.http.signIn("admin", password).get("/api/v1/cameras").status());
        }
    }

    /** Two gateways on two databases that share AUTH_SIGNING_KEY_FILE accept each other's tokens. */
    @Test
    void aSigningKeyFileIsSharedByInstancesOutsideTheDatabase(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path key = dir.resolve("signing.key");
        java.nio.file.Files.writeString(key, "a shared signing key of at least thirty-two characters\n");
        java.util.Map<String, String> env = java.util.Map.of("AUTH_SIGNING_KEY_FILE", key.toString());
        try (GatewayHarness a = new GatewayHarness(SimulatorOptions.defaults(), env);
             GatewayHarness b = new GatewayHarness(SimulatorOptions.defaults(), env)) {
            assertEquals("file", kid(a.http.token()));
            assertEquals(200, b.http.withToken(a.http.token()).get("/api/v1/auth/me").status(), "a's token on b");
            assertEquals(401, gw.http.withToken(a.http.token()).get("/api/v1/auth/me").status(),
                    "a gateway with its own keys refuses it");
        }
    }
}
