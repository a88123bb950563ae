package com.cns.gateway.monitoring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

class GatewayMeterRegistryTest {

    @Test
    void scrapeHoldsJvmProcessAndVertxMeters() throws Exception {
        PrometheusMeterRegistry registry = GatewayMeterRegistry.create();
        Vertx vertx = GatewayMeterRegistry.vertx(registry, new VertxOptions());
        try {
            var server = vertx.createHttpServer().requestHandler(r -> r.response().end("ok"))
                    .listen(0).toCompletionStage().toCompletableFuture().get();
            var client = java.net.http.HttpClient.newHttpClient();
            client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.actualPort() + "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            String scrape = registry.scrape();
            assertTrue(scrape.contains("jvm_memory_used_bytes"), "JVM meters");
            assertTrue(scrape.contains("process_uptime_seconds"), "process meters");
            assertTrue(scrape.contains("vertx_http_server_requests_total"), "Vert.x HTTP server meters");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
