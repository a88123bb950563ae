-- Manual recording sessions: the states of their lifecycle, the stop lease that makes the transition
-- to stopped happen exactly once across instances, and an audit trail of who did what.

ALTER TABLE milestone_recording_sessions
    ADD COLUMN estimated_end_time       TIMESTAMPTZ,
    ADD COLUMN stop_reason              VARCHAR(32)
               CHECK (stop_reason IN ('user', 'auto', 'xprotect_timeout', 'failure')),
    ADD COLUMN stopped_by               VARCHAR(255),
    ADD COLUMN lease_owner              VARCHAR(255),
    ADD COLUMN lease_expires_at         TIMESTAMPTZ,
    ADD COLUMN stop_attempts            INT NOT NULL DEFAULT 0,
    ADD COLUMN renewed_at               TIMESTAMPTZ,
    ADD COLUMN checked_at               TIMESTAMPTZ,
    ADD COLUMN xprotect_timeout_seconds INT,
    ADD COLUMN recorder_uri             TEXT,
    ADD COLUMN device_id                VARCHAR(255) NOT NULL DEFAULT '',
    ADD CONSTRAINT recording_sessions_status_check
        CHECK (status IN ('starting', 'recording', 'stopping', 'stopped', 'failed'));

-- At most one active session per camera, whatever instance tries to start one.
CREATE UNIQUE INDEX idx_recording_sessions_one_active ON milestone_recording_sessions (camera_id)
    WHERE status IN ('starting', 'recording', 'stopping');
CREATE UNIQUE INDEX idx_recording_sessions_recording_id ON milestone_recording_sessions (milestone_recording_id);
CREATE INDEX idx_recording_sessions_active ON milestone_recording_sessions (status)
    WHERE status IN ('starting', 'recording', 'stopping');

-- No foreign keys: the trail outlives the cameras and sessions it speaks of.
CREATE TABLE recording_audit_log (
    id          BIGSERIAL PRIMARY KEY,
    session_id  UUID         NOT NULL,
    camera_id   UUID         NOT NULL,
    action      VARCHAR(32)  NOT NULL,
    actor       VARCHAR(255) NOT NULL,
    instance_id VARCHAR(255),
    detail      TEXT,
    at          TIMESTAMPTZ  NOT NULL
);
CREATE INDEX idx_recording_audit_camera ON recording_audit_log (camera_id, at);
