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

    public MilestoneMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records one request to XProtect when {@code f} completes. */
    public <T> Future<T> time(String operation, Future<T> f) {
        long start = System.nanoTime();
        return f.andThen(ar -> {
            String outcome = ar.succeeded() ? "success" : outcome(ar.cause());
            Counter.builder("gateway_milestone_requests").description("Requests made to XProtect")
                    .tag("operation", operation).tag("outcome", outcome).register(registry).increment();
            Timer.builder("gateway_milestone_request_duration").description("Latency of requests to XProtect")
                    .tag("operation", operation).publishPercentileHistogram().register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        });
    }

    public void tokenRenewed(String kind, boolean success) {
        Counter.builder("gateway_milestone_token_renewals").description("Tokens obtained from XProtect")
                .tag("kind", kind).tag("outcome", success ? "success" : "failure").register(registry).increment();
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
