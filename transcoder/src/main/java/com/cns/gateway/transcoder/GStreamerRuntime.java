package com.cns.gateway.transcoder;

import java.util.ArrayList;
import java.util.List;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Version;

/**
 * GStreamerRuntime initialises GStreamer once per JVM and checks, at start, that every element the
 * transcoder's pipelines use is installed. {@code Gst.parseLaunch} does not fail on a missing
 * element (research/java-dependencies.md §3, gotcha 5), so a missing plugin must be found here, named,
 * rather than surface later as a broken pipeline.
 */
public final class GStreamerRuntime {
    /** Elements the transcoder's pipelines are built from: muxing, parsing, decoding and JPEG encoding. */
    public static final List<String> REQUIRED_ELEMENTS = List.of("appsrc", "appsink", "h264parse", "h265parse",
            "mpegtsmux", "avdec_h264", "avdec_h265", "jpegdec", "videoconvert", "jpegenc", "x264enc");

    /** The result of a start-up check: the GStreamer version and any missing elements. */
    public record Status(boolean initialised, String version, List<String> missingElements, String error) {
        public boolean ready() {
            return initialised && missingElements.isEmpty();
        }
    }

    private static Status status;

    private GStreamerRuntime() {
    }

    /**
     * The pipeline {@code description} names ({@code gst-launch} syntax), or a {@link
     * com.cns.gateway.transcoder.transcode.TranscodeException} naming the description and GStreamer's reason.
     */
    public static org.freedesktop.gstreamer.Pipeline launch(String description) {
        List<org.freedesktop.gstreamer.glib.GError> errors = new ArrayList<>();
        org.freedesktop.gstreamer.Element e = Gst.parseLaunch(description, errors);
        if (!errors.isEmpty() || !(e instanceof org.freedesktop.gstreamer.Pipeline p)) {
            if (e != null) {
                e.dispose();
            }
            throw new com.cns.gateway.transcoder.transcode.TranscodeException("GStreamer cannot build '" + description
                    + "': " + (errors.isEmpty() ? "not a pipeline" : errors.get(0).getMessage()));
        }
        return p;
    }

    /** Initialises GStreamer (first call only) and checks {@code elements}; never throws. */
    public static synchronized Status init(List<String> elements) {
        if (status == null || !status.initialised()) {
            try {
                Gst.init(new Version(1, 16), "cns-gateway");
                status = new Status(true, Gst.getVersionString(), List.of(), null);
            } catch (Throwable e) {
                // UnsatisfiedLinkError when libgstreamer is absent; GstException on a too-old version.
                return new Status(false, null, elements, "GStreamer could not be initialised: " + e.getMessage());
            }
        }
        List<String> missing = new ArrayList<>();
        for (String e : elements) {
            try {
                ElementFactory.find(e);
            } catch (IllegalArgumentException notInstalled) {
                // gst1-java-core throws "No such Gstreamer factory" rather than answering null.
                missing.add(e);
            }
        }
        return new Status(true, status.version(), List.copyOf(missing), missing.isEmpty() ? null
                : "GStreamer elements missing: " + String.join(", ", missing)
                        + " (install the gstreamer1.0-plugins-* packages; see scripts/install-prerequisites.sh)");
    }
}
