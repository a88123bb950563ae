package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.GatewayHarness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class HealthAndMetricsTest {

    @Test
    void readinessNamesEachCheckAndMetricsScrapeHoldsXProtectCalls() throws Exception {
        try (GatewayHarness gw = new GatewayHarness()) {
            assertEquals(200, gw.http.get("/health/live").status());
            JsonObject ready = gw.http.get("/health/ready").json();
            assertEquals("up", ready.getString("status"));
            JsonObject checks = ready.getJsonObject("checks");
            assertEquals("up", checks.getJsonObject("database").getString("status"));
            var flyway = org.flywaydb.core.Flyway.configure().dataSource(gw.jdbcUrl, "postgres", "")
                    .locations("classpath:db/migration").load().info();
            assertEquals(0, flyway.pending().length, "every migration is applied");
            assertEquals(flyway.current().getVersion().getVersion(),
                    checks.getJsonObject("migrations").getString("version"));
            assertEquals("up", checks.getJsonObject("transcoder").getString("status"));
            assertTrue(checks.getJsonObject("xprotect").containsKey("status"));

            gw.http.get("/api/v1/milestone/cameras");
            var metrics = gw.http.get("/metrics");
            assertEquals(200, metrics.status());
            assertTrue(metrics.header("Content-Type").startsWith("text/plain"));
            assertTrue(metrics.body().contains("gateway_milestone_requests_total{"), "XProtect calls are counted");
            assertTrue(metrics.body().contains("operation=\"list_cameras\""));
            assertTrue(metrics.body().contains("vertx_http_server_requests_total"));
            assertTrue(metrics.body().contains("jvm_memory_used_bytes"));
        }
    }

    @Test
    void aClientOfferingTheH2cUpgradeGetsWholeHttp11Answers() throws Exception {
        // Java's HTTP client offers "Upgrade: h2c" on each new connection; Vert.x's upgrade garbled about
        // one large first answer in ten (here: the scrape), so the gateway answers in HTTP/1.1.
        try (GatewayHarness gw = new GatewayHarness()) {
            for (int i = 0; i < 30; i++) {
                java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.http.base() + "/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(java.net.http.HttpClient.Version.HTTP_1_1, r.version());
                assertEquals(200, r.statusCode());
                assertTrue(r.body().contains("jvm_memory_used_bytes"), "a whole scrape");
            }
        }
    }
}
