-- The plan's section 7 schema, with TIMESTAMPTZ throughout (every instant is UTC on the wire).

CREATE TABLE cameras (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name                VARCHAR(255) NOT NULL,
    name_ar             VARCHAR(255),
    source              VARCHAR(32)  NOT NULL DEFAULT 'OTHER'
                        CHECK (source IN ('DUBAI_POLICE', 'METRO', 'BUS', 'OTHER')),
    rtsp_url            TEXT,
    status              VARCHAR(16)  NOT NULL DEFAULT 'OFFLINE'
                        CHECK (status IN ('ONLINE', 'OFFLINE', 'ERROR')),
    ptz_enabled         BOOLEAN      NOT NULL DEFAULT FALSE,
    recording_server    VARCHAR(255),
    metadata            JSONB        NOT NULL DEFAULT '{}'::jsonb,
    location            JSONB,
    -- Milestone columns (plan 7.1)
    milestone_device_id VARCHAR(255),
    milestone_server    VARCHAR(255),
    last_milestone_sync TIMESTAMPTZ,
    milestone_metadata  JSONB,
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Unique, not just indexed: two instances importing the same device at once must not both succeed.
CREATE UNIQUE INDEX idx_cameras_milestone_device_id ON cameras (milestone_device_id);
CREATE INDEX idx_cameras_milestone_server ON cameras (milestone_server);
CREATE INDEX idx_cameras_source ON cameras (source);

CREATE TABLE milestone_recording_sessions (
    id                     UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    camera_id              UUID         NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    milestone_recording_id VARCHAR(255) NOT NULL,
    start_time             TIMESTAMPTZ  NOT NULL,
    end_time               TIMESTAMPTZ,
    duration_seconds       INT          NOT NULL CHECK (duration_seconds > 0),
    triggered_by           VARCHAR(255) NOT NULL,
    status                 VARCHAR(50)  NOT NULL,
    error_message          TEXT,
    created_at             TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at             TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX idx_recording_sessions_camera_id ON milestone_recording_sessions (camera_id);
CREATE INDEX idx_recording_sessions_status ON milestone_recording_sessions (status);
CREATE INDEX idx_recording_sessions_start_time ON milestone_recording_sessions (start_time);

CREATE TABLE milestone_sync_history (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    sync_type          VARCHAR(50)  NOT NULL
                       CHECK (sync_type IN ('camera_discovery', 'camera_import', 'full_sync')),
    source_filter      VARCHAR(32),
    auto_import        BOOLEAN      NOT NULL DEFAULT FALSE,
    cameras_total      INT,
    cameras_processed  INT          NOT NULL DEFAULT 0,
    cameras_discovered INT,
    cameras_imported   INT,
    cameras_updated    INT,
    errors             INT,
    error_details      JSONB,
    started_at         TIMESTAMPTZ  NOT NULL,
    completed_at       TIMESTAMPTZ,
    status             VARCHAR(50)  NOT NULL CHECK (status IN ('in_progress', 'completed', 'failed')),
    initiated_by       VARCHAR(255),
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX idx_sync_history_sync_type ON milestone_sync_history (sync_type);
CREATE INDEX idx_sync_history_started_at ON milestone_sync_history (started_at);

CREATE TABLE milestone_playback_cache (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    camera_id     UUID        NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    query_hash    VARCHAR(64) NOT NULL,
    start_time    TIMESTAMPTZ NOT NULL,
    end_time      TIMESTAMPTZ NOT NULL,
    sequence_data JSONB       NOT NULL,
    cached_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at    TIMESTAMPTZ NOT NULL,
    hit_count     INT         NOT NULL DEFAULT 0
);

CREATE UNIQUE INDEX idx_playback_cache_query_hash ON milestone_playback_cache (query_hash);
CREATE INDEX idx_playback_cache_camera_id ON milestone_playback_cache (camera_id);
CREATE INDEX idx_playback_cache_expires_at ON milestone_playback_cache (expires_at);
