package com.cns.gateway.media.hls;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Speed is a playback speed the gateway builds on the server: the plan's -8x to 8x, as a closed set so
 * that viewers of one speed share its segments (section 8.4). Negative speeds play backward in time.
 */
public enum Speed {
    REVERSE_8(-8), REVERSE_4(-4), REVERSE_2(-2), REVERSE_1(-1), REVERSE_HALF(-0.5),
    HALF(0.5), NORMAL(1), DOUBLE(2), FOUR(4), EIGHT(8);

    public final double factor;

    Speed(double factor) {
        this.factor = factor;
    }

    /** The speed a number names (2, 2.0 and 2.00 alike), if it is one of the set. */
    public static Optional<Speed> of(double factor) {
        return Arrays.stream(values()).filter(s -> s.factor == factor).findFirst();
    }

    /** The speed a URL token names ({@link #token}), or empty. */
    static Optional<Speed> parse(String token) {
        return Arrays.stream(values()).filter(s -> s.token().equals(token)).findFirst();
    }

    /** Every speed, as numbers, for error messages. */
    public static List<Double> factors() {
        return Arrays.stream(values()).map(s -> s.factor).toList();
    }

    /** Whether frames run backward in time. */
    public boolean reverse() {
        return factor < 0;
    }

    /** |speed|: how many milliseconds of recording one millisecond of output shows. */
    public double magnitude() {
        return Math.abs(factor);
    }

    /** The speed in names and URLs: {@code -8}, {@code -0.5}, {@code 0.5}, {@code 1}. */
    public String token() {
        return factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor);
    }
}
