package com.cns.gateway.api.cameras;

import com.cns.gateway.milestone.XpCamera;
import com.cns.gateway.milestone.XpRecordingServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * MilestoneCameraMapper turns what XProtect says of a camera into the CNS camera's columns: its
 * recording server, PTZ flag, status and RTSP URL (only when an RTSP base URL is configured: XProtect
 * itself serves no RTSP).
 */
public final class MilestoneCameraMapper {
    private final Optional<URI> rtspBase;

    public MilestoneCameraMapper(Optional<URI> rtspBase) {
        this.rtspBase = rtspBase;
    }

    public String rtspUrl(String deviceId) {
        return rtspBase.map(b -> {
            String s = b.toString();
            return (s.endsWith("/") ? s : s + "/") + deviceId;
        }).orElse(null);
    }

    public static CameraStatus status(XpCamera x, boolean recorderReachable) {
        return x.enabled() && recorderReachable ? CameraStatus.ONLINE : CameraStatus.OFFLINE;
    }

    public static JsonObject metadata(XpCamera x, boolean nameCustomized) {
        XpRecordingServer rs = x.recordingServer();
        return new JsonObject()
                .put("milestoneName", x.name())
                .put("displayName", x.displayName())
                .put("enabled", x.enabled())
                .put("recordingEnabled", x.recordingEnabled())
                .put("recordingFramerate", x.recordingFramerate())
                .put("manualRecordingTimeoutEnabled", x.manualRecordingTimeoutEnabled())
                .put("manualRecordingTimeoutMinutes", x.manualRecordingTimeoutMinutes())
                .put("hardwareId", x.hardwareId())
                .put("recordingServerId", rs == null ? null : rs.id())
                .put("recordingServerName", rs == null ? null : rs.name())
                .put("recordingServerUri", rs == null || rs.effectiveUri() == null ? null : rs.effectiveUri().toString())
                .put("nameCustomized", nameCustomized);
    }

    /** A camera as imported now from {@code x}, with the operator's choices. */
    public Camera imported(XpCamera x, String name, String nameAr, CameraSource source, CameraLocation location,
                           boolean reachable, Instant now) {
        boolean custom = name != null && !name.isBlank();
        XpRecordingServer rs = x.recordingServer();
        return new Camera(null, custom ? name : x.name(), nameAr, source, rtspUrl(x.id()), status(x, reachable),
                x.ptzEnabled(), rs == null ? null : rs.name(), x.id(), rs == null ? null : rs.id(), now,
                metadata(x, custom), location, now, now);
    }

    /** {@code c} refreshed from XProtect's current view {@code x}; an operator-chosen name is kept. */
    public Camera synced(Camera c, XpCamera x, boolean reachable, Instant now) {
        XpRecordingServer rs = x.recordingServer();
        return new Camera(c.id(), c.nameCustomized() ? c.name() : x.name(), c.nameAr(), c.source(),
                rtspUrl(x.id()), status(x, reachable), x.ptzEnabled(), rs == null ? null : rs.name(),
                c.milestoneDeviceId(), rs == null ? null : rs.id(), now, metadata(x, c.nameCustomized()),
                c.location(), c.createdAt(), now);
    }

    /** {@code c} marked as no longer known to XProtect. */
    public static Camera gone(Camera c, Instant now) {
        return new Camera(c.id(), c.name(), c.nameAr(), c.source(), c.rtspUrl(), CameraStatus.ERROR, c.ptzEnabled(),
                c.recordingServer(), c.milestoneDeviceId(), c.milestoneServer(), now, c.milestoneMetadata(),
                c.location(), c.createdAt(), now);
    }
}
