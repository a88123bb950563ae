package com.cns.gateway.milestone;

/**
 * XpCamera is an XProtect camera as the RESTful Config API describes it, joined with the recording
 * server that stores its video (found through its hardware).
 */
public record XpCamera(
        String id,
        String name,
        String displayName,
        boolean enabled,
        boolean ptzEnabled,
        boolean recordingEnabled,
        int recordingFramerate,
        boolean manualRecordingTimeoutEnabled,
        int manualRecordingTimeoutMinutes,
        String hardwareId,
        XpRecordingServer recordingServer) {

    public XpCamera withRecordingServer(XpRecordingServer rs) {
        return new XpCamera(id, name, displayName, enabled, ptzEnabled, recordingEnabled, recordingFramerate,
                manualRecordingTimeoutEnabled, manualRecordingTimeoutMinutes, hardwareId, rs);
    }
}
