package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.api.http.ApiError;
import com.cns.gateway.milestone.XProtectUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ExpectedFailureLogFilterTest {
    private final ExpectedFailureLogFilter filter = new ExpectedFailureLogFilter();

    private static LogRecord failed(Throwable t) {
        LogRecord r = new LogRecord(Level.WARNING, "Exception thrown during asynchronous load");
        r.setThrown(t);
        return r;
    }

    @Test
    void anOutageTheGatewayReportsItselfIsNotLoggedAgain() {
        assertFalse(filter.isLoggable(failed(new CompletionException(
                new XProtectUnavailableException("recorder down", Duration.ofSeconds(1), null)))));
        assertFalse(filter.isLoggable(failed(new CompletionException(ApiError.notFound("No camera")))),
                "a segment asked of an unknown camera is a 404, not a warning");
        assertFalse(filter.isLoggable(failed(new CompletionException(new com.cns.gateway.api.errors.CameraNotFoundException(
                java.util.UUID.randomUUID())))), "the typed 404 too");
        assertFalse(filter.isLoggable(failed(new CompletionException(
                new com.cns.gateway.media.cache.ProductionsFullException(16, 128)))), "at capacity: a 503 with Retry-After");
    }

    @Test
    void anythingElseIsStillLogged() {
        assertTrue(filter.isLoggable(failed(new IllegalStateException("a bug"))));
        assertTrue(filter.isLoggable(new LogRecord(Level.WARNING, "no throwable")));
    }
}
