package com.cns.gateway.media.playback;

import java.util.UUID;

/** A camera has no recording server address yet (never synced with XProtect), so none of its video can be read. */
public final class CameraNotSyncedException extends RuntimeException {
    public CameraNotSyncedException(UUID cameraId) {
        super("Camera " + cameraId + " has no recording server yet: sync it");
    }
}
