package com.cns.gateway.api.cameras;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * Camera is a camera imported into CNS: the CNS camera model plus its Milestone columns.
 * {@code milestoneMetadata} keeps what XProtect said of it at the last sync (its own name, recording
 * server and URI, manual recording timeout) and whether the operator chose the name.
 */
public record Camera(
        UUID id,
        String name,
        String nameAr,
        CameraSource source,
        String rtspUrl,
        CameraStatus status,
        boolean ptzEnabled,
        String recordingServer,
        String milestoneDeviceId,
        String milestoneServer,
        Instant lastMilestoneSync,
        JsonObject milestoneMetadata,
        CameraLocation location,
        Instant createdAt,
        Instant updatedAt) {


    /** Whether the operator chose this camera's name (then a sync keeps it). */
    public boolean nameCustomized() {
        return milestoneMetadata != null && milestoneMetadata.getBoolean("nameCustomized", false);
    }

    /** Where XProtect keeps this camera's video: its device id and the recording server stored at the last sync. */
    public com.cns.gateway.recordingindex.CameraAddress address() {
        String uri = milestoneMetadata() == null ? null : milestoneMetadata().getString("recordingServerUri");
        return new com.cns.gateway.recordingindex.CameraAddress(id, milestoneDeviceId(),
                uri == null ? null : java.net.URI.create(uri));
    }
}
