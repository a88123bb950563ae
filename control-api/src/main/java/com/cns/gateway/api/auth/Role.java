package com.cns.gateway.api.auth;

import java.util.Locale;

/**
 * Role is what a user may do: {@code viewer} reads (cameras, queries, timelines, playback, snapshots,
 * events), {@code operator} also starts and stops recordings, {@code admin} also runs discovery,
 * import, sync, camera edits, users and the audit. Each role holds every right of the ones before it.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role's name as the API writes it: {@code viewer}, {@code operator}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code label} (any case), or null. */
    public static Role parse(String label) {
        if (label == null) {
            return null;
        }
        for (Role r : values()) {
            if (r.name().equalsIgnoreCase(label.trim())) {
                return r;
            }
        }
        return null;
    }
}
