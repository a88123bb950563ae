package com.cns.gateway.milestone.soap;

import java.time.Duration;

/** VmsToken is the {@code TOKEN#…#} a recording server accepts, and how long it lives. */
public record VmsToken(String value, Duration timeToLive) {
    @Override
    public String toString() {
        return "VmsToken[ttl=" + timeToLive + "]";
    }
}
