package com.cns.gateway.media.playback;

import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.recordingindex.KeyframeIndex;

/** A segment a planner lists: its name, its bounds, and whether a gap precedes it. */
record PlannedSegment(SegmentName name, KeyframeIndex.Bounds bounds, boolean discontinuity) {
}
