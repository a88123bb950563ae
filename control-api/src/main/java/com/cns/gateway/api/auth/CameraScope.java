package com.cns.gateway.api.auth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * CameraScope is which cameras a user may see: {@code "*"} (all), camera sources ({@code DUBAI_POLICE},
 * {@code METRO}, {@code BUS}, {@code OTHER}) and camera ids, in any mix. A camera outside it does not
 * exist for the user.
 */
public record CameraScope(boolean all, Set<String> sources, Set<UUID> ids) {
    public static final CameraScope ALL = new CameraScope(true, Set.of(), Set.of());
    private static final Set<String> SOURCES = Set.of("DUBAI_POLICE", "METRO", "BUS", "OTHER");

    public CameraScope {
        sources = Set.copyOf(sources);
        ids = Set.copyOf(ids);
    }

    /** Reads the entries of a user's {@code cameras}; an entry that is neither {@code *}, a source nor a uuid is refused. */
    public static CameraScope of(List<String> entries) {
        boolean all = false;
        Set<String> sources = new LinkedHashSet<>();
        Set<UUID> ids = new LinkedHashSet<>();
        for (String raw : entries) {
            String e = raw == null ? "" : raw.trim();
            if (e.equals("*")) {
                all = true;
            } else if (SOURCES.contains(e.toUpperCase(Locale.ROOT))) {
                sources.add(e.toUpperCase(Locale.ROOT));
            } else {
                try {
                    ids.add(UUID.fromString(e));
                } catch (IllegalArgumentException notAnId) {
                    throw new IllegalArgumentException("'" + raw + "' is not \"*\", a camera source (DUBAI_POLICE, "
                            + "METRO, BUS, OTHER) or a camera id");
                }
            }
        }
        return new CameraScope(all, sources, ids);
    }

    public boolean allows(UUID cameraId, String source) {
        return all || ids.contains(cameraId) || (source != null && sources.contains(source));
    }

    /** The entries as the API writes them: {@code "*"} first, then sources, then ids. */
    public List<String> entries() {
        List<String> out = new java.util.ArrayList<>();
        if (all) {
            out.add("*");
        }
        out.addAll(sources.stream().sorted().toList());
        out.addAll(ids.stream().map(UUID::toString).sorted().toList());
        return out;
    }
}
