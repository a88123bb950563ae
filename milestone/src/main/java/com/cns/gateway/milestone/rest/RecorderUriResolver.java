package com.cns.gateway.milestone.rest;

import com.cns.gateway.milestone.XpRecordingServer;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * RecorderUriResolver applies {@code MILESTONE_RECORDER_URI_OVERRIDES}: a recording server's
 * advertised {@code webServerUri} is often an internal host name the gateway cannot resolve, so an
 * override keyed by the recorder's id or by that host name replaces it: a whole URL, or a bare host
 * that keeps the advertised scheme and port.
 */
public final class RecorderUriResolver {
    private final Map<String, URI> overrides;

    public RecorderUriResolver(Map<String, URI> overrides) {
        this.overrides = overrides;
    }

    public XpRecordingServer resolve(RestConfigParser.RecordingServerEntry e) {
        URI effective = overrides.get(e.id().toLowerCase(Locale.ROOT));
        if (effective == null && e.webServerUri() != null && e.webServerUri().getHost() != null) {
            effective = overrides.get(e.webServerUri().getHost().toLowerCase(Locale.ROOT));
        }
        if (effective == null) {
            effective = e.webServerUri();
        } else if (effective.getScheme() == null && e.webServerUri() != null) {
            URI a = e.webServerUri();
            effective = URI.create(a.getScheme() + "://" + effective.getRawAuthority()
                    + (a.getPort() > 0 && effective.getPort() < 0 ? ":" + a.getPort() : "") + "/");
        }
        return new XpRecordingServer(e.id(), e.name(), e.hostName(), e.webServerUri(), effective);
    }
}
