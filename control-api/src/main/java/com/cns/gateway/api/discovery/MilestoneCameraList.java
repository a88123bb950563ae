package com.cns.gateway.api.discovery;

import com.cns.gateway.milestone.XpCamera;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * MilestoneCameraList filters and pages XProtect's cameras for the discovery view (plan 8.1): by
 * recording and PTZ flags, whether it is imported and a case-insensitive name search, each marked
 * with whether it is imported, with the {@code total} and {@code imported} counts of all that matched.
 */
public final class MilestoneCameraList {
    /** The discovery filters; null means "either". */
    public record Filter(Boolean recording, Boolean ptz, Boolean imported, String search, int limit, int offset) {
    }

    private MilestoneCameraList() {
    }

    public static JsonObject render(List<XpCamera> all, Set<String> importedIds, Filter f,
                                    Function<String, String> liveStreamUrl) {
        String needle = f.search() == null ? null : f.search().toLowerCase(Locale.ROOT);
        List<XpCamera> matched = all.stream()
                .filter(c -> f.recording() == null || c.recordingEnabled() == f.recording())
                .filter(c -> f.ptz() == null || c.ptzEnabled() == f.ptz())
                .filter(c -> f.imported() == null
                        || importedIds.contains(c.id().toLowerCase(Locale.ROOT)) == f.imported())
                .filter(c -> needle == null || c.name().toLowerCase(Locale.ROOT).contains(needle))
                .toList();
        long imported = matched.stream().filter(c -> importedIds.contains(c.id().toLowerCase(Locale.ROOT))).count();
        JsonArray page = new JsonArray();
        matched.stream().skip(f.offset()).limit(f.limit()).forEach(c -> page.add(new JsonObject()
                .put("id", c.id())
                .put("name", c.name())
                .put("enabled", c.enabled())
                .put("recording", c.recordingEnabled())
                .put("ptzEnabled", c.ptzEnabled())
                .put("recordingServer", c.recordingServer() == null ? null : c.recordingServer().name())
                .put("imported", importedIds.contains(c.id().toLowerCase(Locale.ROOT)))
                .put("liveStreamUrl", liveStreamUrl.apply(c.id()))));
        return new JsonObject().put("cameras", page).put("total", matched.size()).put("imported", imported)
                .put("limit", f.limit()).put("offset", f.offset());
    }
}
