package com.cns.gateway.api.db;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** PgTimes converts between instants and the {@code TIMESTAMPTZ} values of vertx-pg-client. */
public final class PgTimes {
    private PgTimes() {
    }

    public static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    public static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
