package com.cns.gateway.api.cameras;

import com.cns.gateway.api.errors.NotFoundException;
import java.util.UUID;

/** CameraGoneException: a sync found that XProtect no longer has the camera; it is now marked ERROR (404). */
public final class CameraGoneException extends NotFoundException {
    private final UUID cameraId;

    public CameraGoneException(UUID cameraId, String deviceId) {
        super("XProtect no longer has camera " + deviceId + "; it is marked ERROR");
        this.cameraId = cameraId;
    }

    public UUID cameraId() {
        return cameraId;
    }
}
