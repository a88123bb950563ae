package com.cns.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.support.MediaProbe;
import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatorOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What sits around the API: Debian's nginx checking the gateway's signed segment URLs with its own
 * secure_link module (as the README's snippet configures it), HTTPS on the gateway itself, and the
 * per-user rate limit.
 */
class TransportTest {
    private static final String SECRET = "a-url-signing-secret-of-32-chars-or-more";

    @Test
    void nginxSecureLinkAcceptsTheGatewaysSignaturesAndRefusesTamperedOnes(@TempDir Path dir) throws Exception {
        try (GatewayHarness gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of("AUTH_URL_SIGNING_SECRET", SECRET))) {
            String device = gw.simulator.site().cameras().get(0).id();
            String camera = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + device + "\"}")
                    .json().getString("id");
            Instant now = Instant.now();
            RecordedSpan span = gw.simulator.history().spans(device, now.minus(Duration.ofDays(9)), now.minus(Duration.ofDays(2)))
                    .stream().filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() >= 60_000).findFirst().orElseThrow();
            String url = gw.http.post("/api/v1/cameras/" + camera + "/playback/control", new JsonObject()
                    .put("action", "play").put("timestamp", span.begin().plusSeconds(5).toString()).encode())
                    .json().getString("playlistUrl");
            String playlist = gw.http.anonymous().get(url).body();
            String segment = "/api/v1/cameras/" + camera + "/playback/" + playlist.lines()
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst().orElseThrow();
            int port = freePort();
            Process nginx = startNginx(dir, port, gw.http.base().replace("http://", ""));
            try {
                Http viaNginx = new Http("http://127.0.0.1:" + port);
                var ok = viaNginx.bytes(segment);
                assertEquals(200, ok.statusCode(), "nginx's secure_link accepts the gateway's s");
                assertEquals("HIT", viaNginx.bytes(segment).headers().firstValue("X-Cache").orElse(""),
                        "the second viewer is served from nginx's cache, keyed on the path alone");
                assertEquals(403, viaNginx.bytes(segment.replaceAll("&s=[\\w-]+", "&s=AAAAAAAAAAAAAAAAAAAAAA")).statusCode());
                assertEquals(403, viaNginx.bytes(segment.replaceAll("u=admin", "u=eve")).statusCode(), "another user");
                assertEquals(403, viaNginx.bytes(segment.substring(0, segment.indexOf('?'))).statusCode(), "unsigned");
            } finally {
                nginx.destroy();
            }
        }
    }

    private static Process startNginx(Path dir, int port, String gateway) throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, "daemon off;\nworker_processes 1;\nuser root;\npid " + dir.resolve("nginx.pid")
                + ";\nerror_log " + dir.resolve("error.log") + ";\nevents { worker_connections 64; }\nhttp {\n"
                + "  access_log off;\n  client_body_temp_path " + dir.resolve("tmp") + ";\n  proxy_temp_path "
                + dir.resolve("tmp") + ";\n  fastcgi_temp_path " + dir.resolve("tmp") + ";\n  uwsgi_temp_path "
                + dir.resolve("tmp") + ";\n  scgi_temp_path " + dir.resolve("tmp") + ";\n"
                + "  proxy_cache_path " + dir.resolve("cache") + " keys_zone=segments:1m;\n"
                + "  server {\n    listen 127.0.0.1:" + port + ";\n"
                + "    location ~ ^/api/v1/cameras/[^/]+/playback/hls/ {\n"
                + "      secure_link $arg_s,$arg_e;\n"
                + "      secure_link_md5 \"$secure_link_expires$uri$arg_u " + SECRET + "\";\n"
                + "      if ($secure_link = \"\") { return 403; }\n      if ($secure_link = \"0\") { return 403; }\n"
                + "      proxy_cache segments;\n      proxy_cache_key $uri;\n"
                + "      add_header X-Cache $upstream_cache_status;\n"
                + "      proxy_pass http://" + gateway + ";\n    }\n  }\n}\n");
        String bin = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        Process p = new ProcessBuilder(bin, "-c", conf.toString(), "-p", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        for (int i = 0; i < 50; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("nginx.out")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theGatewayServesHttpsItselfWithTheGivenCertificate(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        MediaProbe.Run made = MediaProbe.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost");
        assertEquals(0, made.exit(), made.err());
        try (GatewayHarness gw = GatewayHarness.withoutSignIn(SimulatorOptions.defaults(), Map.of(
                "HTTP_TLS_CERT_FILE", cert.toString(), "HTTP_TLS_KEY_FILE", key.toString(),
                "AUTH_ADMIN_PASSWORD", GatewayHarness.ADMIN_PASSWORD))) {
            String port = gw.http.base().replaceAll(".*:", "");
            MediaProbe.Run live = MediaProbe.run("curl", "-s", "--cacert", cert.toString(), "--resolve",
                    "localhost:" + port + ":127.0.0.1", "https://localhost:" + port + "/api/v1/auth/login",
                    "-H", "Content-Type: application/json", "-d", "{\"username\":\"admin\",\"password\":\""
                            + GatewayHarness.ADMIN_PASSWORD + "\"}");
            assertEquals(0, live.exit(), live.err());
            assertTrue(new JsonObject(new String(live.out())).containsKey("accessToken"), new String(live.out()));
            MediaProbe.Run plain = MediaProbe.run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://127.0.0.1:" + port + "/health/live");
            assertTrue(!new String(plain.out()).equals("200"), "no plain HTTP on the HTTPS port");
        }
    }

    @Test
    void aUserOverItsRateLimitGets429WithRetryAfter() throws Exception {
        try (GatewayHarness gw = new GatewayHarness(SimulatorOptions.defaults(), Map.of("AUTH_REQUESTS_PER_MINUTE", "60"))) {
            Http.Answer last = null;
            int ok = 0;
            for (int i = 0; i < 30; i++) {
                last = gw.http.get("/api/v1/cameras");
                if (last.status() != 200) {
                    break;
                }
                ok++;
            }
            assertEquals(429, last.status(), "after " + ok + " requests: " + last.body());
            assertTrue(ok >= 9 && ok <= 12, "a burst of a tenth of a minute's requests: " + ok);
            assertTrue(Long.parseLong(last.header("Retry-After")) >= 1);
            // Media has a bucket of its own: playback goes on while the JSON API waits.
            Http.Answer media = gw.http.get("/api/v1/cameras/" + java.util.UUID.randomUUID() + "/playback/snapshot?time="
                    + Instant.now().minusSeconds(60));
            assertEquals(404, media.status(), media.body());
        }
    }
}
