package com.cns.gateway.recordingindex;

import java.net.URI;
import java.util.UUID;

/** CameraAddress names a camera in CNS and where XProtect keeps its video: device id and recording server. */
public record CameraAddress(UUID cameraId, String deviceId, URI recorder) {
}
