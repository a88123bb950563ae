package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.Http;
import com.cns.gateway.support.MediaProbe;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatedSite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Monitoring as Prometheus and Grafana see it, after an end-to-end run (discovery, a manual recording
 * that stops by itself, a timeline, playback, a seek, a snapshot): the scrape passes
 * {@code promtool check metrics}, the alert rules pass {@code promtool check rules} and their unit
 * tests, and every metric a dashboard panel or an alert queries is in the scrape.
 */
class MonitoringTest {
    private static final Path MONITORING = Path.of("..", "monitoring");
    private static final Pattern METRIC = Pattern.compile(
            "(?<![\"\\w])((?:gateway|jvm|process|system|vertx|cache)_[a-z0-9_]+)\\b");

    @Test
    void scrapeRulesAndDashboardsAgree() throws Exception {
        try (GatewayHarness gw = new GatewayHarness()) {
            endToEndRun(gw);
            String scrape = gw.http.get("/metrics").body();
            Path file = Files.createTempFile("scrape", ".txt");
            Files.writeString(file, scrape);
            MediaProbe.Run lint = MediaProbe.run("sh", "-c", "promtool check metrics < " + file);
            Files.delete(file);
            assertEquals(0, lint.exit(), new String(lint.out()) + lint.err());
            assertEquals("", (new String(lint.out()) + lint.err()).trim(), "promtool finds nothing to lint");

            Set<String> sampled = new TreeSet<>();
            for (String line : scrape.split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    sampled.add(line.split("[{ ]", 2)[0]);
                }
            }
            List<String> missing = new ArrayList<>();
            try (Stream<Path> dashboards = Files.list(MONITORING.resolve("grafana/dashboards"))) {
                for (Path d : dashboards.filter(p -> p.toString().endsWith(".json")).toList()) {
                    JsonArray panels = new JsonObject(Files.readString(d)).getJsonArray("panels");
                    assertTrue(panels.size() >= 6, d + " has its panels");
                    for (Object p : panels) {
                        for (Object t : ((JsonObject) p).getJsonArray("targets")) {
                            names(((JsonObject) t).getString("expr")).stream().filter(n -> !sampled.contains(n))
                                    .forEach(n -> missing.add(d.getFileName() + " \"" + ((JsonObject) p).getString("title")
                                            + "\": " + n));
                        }
                    }
                }
            }
            names(Files.readString(MONITORING.resolve("prometheus/alerts.yml"))).stream()
                    .filter(n -> !sampled.contains(n)).forEach(n -> missing.add("alerts.yml: " + n));
            assertEquals(List.of(), missing, "every queried metric is in the scrape");
            assertTrue(scrape.contains("vertx_net_client_active_connections{client_name=\"imageserver\"}"),
                    "the ImageServer panels select their client by name");
        }

        for (String[] cmd : List.of(new String[] {"promtool", "check", "rules", "alerts.yml"},
                new String[] {"promtool", "test", "rules", "alerts.test.yml"},
                new String[] {"promtool", "check", "config", "prometheus.yml"})) {
            Process p = new ProcessBuilder(cmd).directory(MONITORING.resolve("prometheus").toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        }
    }

    @Test
    void metricsCanHaveTheirOwnPort() throws Exception {
        // Port 0: a port picked here beforehand could be taken by the simulator before the gateway binds it.
        try (GatewayHarness gw = new GatewayHarness(com.cns.xprotect.simulator.SimulatorOptions.defaults(),
                java.util.Map.of("METRICS_PORT", "0"))) {
            int port = gw.metricsPort().orElseThrow();
            assertTrue(!gw.http.base().endsWith(":" + port), "a port of its own");
            Http.Answer own = new Http("http://127.0.0.1:" + port).get("/metrics");
            assertEquals(200, own.status());
            assertTrue(own.body().contains("jvm_memory_used_bytes"), "JVM meters");
            assertTrue(own.body().contains("gateway_db_pool_connections"), "PostgreSQL pool meters");
            assertEquals(404, gw.http.get("/metrics").status(), "no longer on the API's port");
        }
    }

    /** Metric names in a PromQL text (not label values, which stand in quotes). */
    private static Set<String> names(String promql) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(promql);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static void endToEndRun(GatewayHarness gw) throws Exception {
        SimulatedSite.Camera cam = gw.simulator.site().cameras().stream()
                .filter(c -> c.recordingEnabled() && gw.simulator.site().profile(c.id()) == CameraProfile.FIXED_GOP)
                .findFirst().orElseThrow();
        Http.Answer imported = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + cam.id() + "\"}");
        assertEquals(201, imported.status(), imported.body());
        String camera = imported.json().getString("id");
        String base = "/api/v1/cameras/" + camera;

        assertEquals(200, gw.http.post(base + "/recordings/start", "{\"duration\": 1}").status());
        for (int i = 0; i < 100 && gw.http.get(base + "/recordings/status").json().getBoolean("isRecording"); i++) {
            Thread.sleep(100);
        }
        assertEquals(false, gw.http.get(base + "/recordings/status").json().getBoolean("isRecording"),
                "the recording stopped by itself");

        Instant now = Instant.now();
        assertEquals(200, gw.http.get(base + "/recordings/timeline?resolution=hour&startTime="
                + enc(now.minus(Duration.ofDays(1))) + "&endTime=" + enc(now)).status());
        RecordedSpan span = gw.simulator.history().spans(cam.id(), now.minus(Duration.ofDays(9)),
                now.minus(Duration.ofDays(2))).stream()
                .filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() > 60_000).findFirst().orElseThrow();
        Instant t = span.begin().plusSeconds(10);
        Http.Answer playlist = gw.http.get(base + "/playback/stream?time=" + enc(t));
        assertEquals(200, playlist.status(), playlist.body());
        String first = playlist.body().lines().filter(l -> l.startsWith("hls/")).findFirst().orElseThrow();
        assertEquals(200, gw.http.bytes(base + "/playback/" + first).statusCode());
        assertEquals(200, gw.http.bytes(base + "/playback/" + first).statusCode(), "then from the cache");
        for (String speed : List.of("-2", "8")) {
            // A smooth (transcoded) and a keyframes-only rendition, so their meters have series.
            Http.Answer sped = gw.http.get(base + "/playback/stream?time=" + enc(t.plusSeconds(30)) + "&speed=" + speed);
            assertEquals(200, sped.status(), sped.body());
            String segment = sped.body().lines().filter(l -> l.startsWith("hls/")).findFirst().orElseThrow();
            assertEquals(200, gw.http.bytes(base + "/playback/" + segment).statusCode());
        }
        assertEquals(200, gw.http.post(base + "/playback/control", new JsonObject().put("action", "seek")
                .put("timestamp", t.plusSeconds(20).toString()).encode()).status());
        assertEquals(200, gw.http.bytes(base + "/playback/snapshot?time=" + enc(t)).statusCode());
    }

    private static String enc(Instant t) {
        return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    }
}
