package com.cns.gateway.api.errors;

/**
 * ConflictException: the request is well formed but the resource's state refuses it now (409): a
 * camera already imported or already recording, a recording still starting or being stopped. The
 * subject names the object in conflict, as the client knows it ({@code cameraId}, {@code recordingId}).
 */
public class ConflictException extends RuntimeException {
    private final String subjectField;
    private final String subject;

    public ConflictException(String message, String subjectField, String subject) {
        super(message, null, false, false);
        this.subjectField = subjectField;
        this.subject = subject;
    }

    public String subjectField() {
        return subjectField;
    }

    public String subject() {
        return subject;
    }
}
