package com.cns.gateway.monitoring;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * GatewayMeterRegistry makes the one Prometheus registry of a gateway instance, with the JVM and
 * process meters bound, and the Vert.x instance that reports its HTTP server, HTTP client and pool
 * metrics into it. Components bind their own meters to the registry they are handed.
 */
public final class GatewayMeterRegistry {
    private GatewayMeterRegistry() {
    }

    public static PrometheusMeterRegistry create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Keep the scrape clean for `promtool check metrics`: process CPU time comes in nanoseconds
        // (process_cpu_usage says the same), and a gauge must not end in _count.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.cores") : id;
                    }
                });
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /**
     * A Vert.x whose built-in metrics land in {@code registry}. Clients carry a {@code client_name}
     * label (their {@code metricsName}): the gateway has several TCP clients (ImageServer plain and
     * TLS, the recorder probe), whose meters would otherwise collide under one name.
     */
    public static Vertx vertx(PrometheusMeterRegistry registry, VertxOptions options) {
        options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).addLabels(Label.CLIENT_NAME));
        return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry)).build();
    }
}
