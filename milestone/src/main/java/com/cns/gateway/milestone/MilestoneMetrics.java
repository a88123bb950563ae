package com.cns.gateway.milestone;

import com.cns.gateway.milestone.resilience.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;

/**
 * MilestoneMetrics holds the meters of the XProtect client: requests by operation and outcome with
 * a latency histogram, token renewals, and the circuit breaker's state.
 */
public final class MilestoneMetrics {
    private final MeterRegistry registry;

    /** Every outcome {@link #time} counts. */
    private static final java.util.List<String> OUTCOMES = java.util.List.of("success", "unavailable", "unauthorized",
            "not_found", "error");

    public MilestoneMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Known series start at 0, so every board panel (token renewals, requests by outcome) has data
        // from the first scrape; the other operations appear with their first request.
        for (String op : java.util.List.of("idp_token", "vms_login")) {
            OUTCOMES.forEach(o -> requests(op, o));
        }
        for (String kind : java.util.List.of("idp", "vms")) {
            renewals(kind, true);
            renewals(kind, false);
        }
    }

    private Counter requests(String operation, String outcome) {
        return Counter.builder("gateway_milestone_requests").description("Requests made to XProtect")
                .tag("operation", operation).tag("outcome", outcome).register(registry);
    }

    private Counter renewals(String kind, boolean success) {
        return Counter.builder("gateway_milestone_token_renewals").description("Tokens obtained from XProtect")
                .tag("kind", kind).tag("outcome", success ? "success" : "failure").register(registry);
    }

    /** Records one request to XProtect when {@code f} completes. */
    public <T> Future<T> time(String operation, Future<T> f) {
        long start = System.nanoTime();
        return f.andThen(ar -> {
            String outcome = ar.succeeded() ? "success" : outcome(ar.cause());
            requests(operation, outcome).increment();
            Timer.builder("gateway_milestone_request_duration").description("Latency of requests to XProtect")
                    .tag("operation", operation).publishPercentileHistogram().register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        });
    }

    public void tokenRenewed(String kind, boolean success) {
        renewals(kind, success).increment();
    }

    public void bindCircuit(CircuitBreaker breaker) {
        Gauge.builder("gateway_milestone_circuit_state", breaker, b -> b.state().ordinal())
                .description("XProtect circuit breaker: 0 closed, 1 half-open, 2 open").register(registry);
    }

    private static String outcome(Throwable t) {
        if (t instanceof XProtectNotFoundException) {
            return "not_found";
        }
        if (t instanceof XProtectAuthenticationException) {
            return "unauthorized";
        }
        if (t instanceof XProtectUnavailableException) {
            return "unavailable";
        }
        return "error";
    }
}
