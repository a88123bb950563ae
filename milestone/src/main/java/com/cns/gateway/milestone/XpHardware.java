package com.cns.gateway.milestone;

/** XpHardware is an XProtect hardware device and the recording server it is attached to. */
public record XpHardware(String id, String name, String recordingServerId) {
}
