package com.cns.gateway;

import com.cns.gateway.api.http.ApiError;
import com.cns.gateway.media.playback.NothingRecordedException;
import com.cns.gateway.media.playback.UnsupportedCodecException;
import com.cns.gateway.milestone.XProtectException;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * ExpectedFailureLogFilter keeps Caffeine from logging a stack trace for every cache load that failed
 * in a way the gateway expects and reports itself: XProtect unreachable (503, and the health tracker
 * logs the outage), a frame XProtect sent damaged (502, logged once by the API), nothing recorded
 * (404), a codec not played (415), an API error such as an unknown camera (a 4xx), playback at capacity
 * (503 with Retry-After, counted in its meters). During an outage
 * each new segment would otherwise log 40 lines. Any other load failure is a bug and is still logged.
 */
final class ExpectedFailureLogFilter implements Filter {
    /** The logger Caffeine's async caches report failed loads on (through System.Logger). */
    static final String CAFFEINE = "com.github.benmanes.caffeine.cache.LocalAsyncCache";
    private static final Logger HELD = Logger.getLogger(CAFFEINE); // the filter lives as long as the logger

    static void install() {
        HELD.setFilter(new ExpectedFailureLogFilter());
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        return !expected(record.getThrown());
    }

    static boolean expected(Throwable t) {
        Throwable c = t;
        for (int depth = 0; c != null && depth < 16; depth++, c = c.getCause()) { // causes can loop
            if (c instanceof XProtectException || c instanceof NothingRecordedException
                    || c instanceof UnsupportedCodecException || c instanceof ApiError
                    || c instanceof com.cns.gateway.api.errors.NotFoundException
                    || c instanceof com.cns.gateway.media.cache.ProductionsFullException) {
                return true;
            }
        }
        return false;
    }
}
