package com.cns.gateway.api.cameras;

/**
 * CameraStatus is what operators see of a camera's health: ONLINE when its recording server accepts
 * connections, OFFLINE when it does not (or the camera is disabled in XProtect), ERROR when XProtect
 * no longer knows the device.
 */
public enum CameraStatus {
    ONLINE, OFFLINE, ERROR
}
