package com.cns.gateway.media.playback;

import static com.cns.gateway.media.playback.PlaybackRig.CAMERA;
import static com.cns.gateway.media.playback.PlaybackRig.T0;
import static com.cns.gateway.media.playback.PlaybackRig.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.media.hls.Speed;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.milestone.XProtectUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The window planner through the playback service, over a fake recording and a fixed clock. */
class SegmentWindowPlannerTest {
    /** One listed segment as a player reads it. */
    record Entry(String uri, long pdtMs, long durationMs, boolean discontinuity) {
    }

    record Listed(List<Entry> entries, long startOffsetMs, int targetDuration, boolean ended) {
        List<String> uris() {
            return entries.stream().map(Entry::uri).toList();
        }
    }

    static Listed parse(String text) {
        List<Entry> out = new ArrayList<>();
        long pdt = -1;
        long dur = -1;
        long offset = -1;
        int td = -1;
        boolean disc = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("#EXT-X-START:TIME-OFFSET=")) {
                offset = Math.round(Double.parseDouble(line.substring(25).split(",")[0]) * 1000);
            } else if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                td = Integer.parseInt(line.substring(22));
            } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                disc = true;
            } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                pdt = Instant.parse(line.substring(25)).toEpochMilli();
            } else if (line.startsWith("#EXTINF:")) {
                dur = Math.round(Double.parseDouble(line.substring(8).split(",")[0]) * 1000);
            } else if (!line.startsWith("#") && !line.isBlank()) {
                out.add(new Entry(line, pdt, dur, disc));
                disc = false;
            }
        }
        return new Listed(out, offset, td, text.contains("#EXT-X-ENDLIST"));
    }

    private static Listed playlist(PlaybackRig rig, long timeMs, Long endMs) throws Exception {
        return parse(await(rig.playback.playlist(CAMERA, Rendition.NORMAL, Instant.ofEpochMilli(timeMs),
                endMs == null ? null : Instant.ofEpochMilli(endMs))).text());
    }

    /** The playlist of {@code r} at {@code timeMs}, answered within 5 s (walks held back must not be waited for). */
    private static Listed answered(PlaybackRig rig, Rendition r, long timeMs, Long endMs) throws Exception {
        return parse(rig.playback.playlist(CAMERA, r, Instant.ofEpochMilli(timeMs),
                endMs == null ? null : Instant.ofEpochMilli(endMs)).toCompletionStage().toCompletableFuture()
                .get(5, java.util.concurrent.TimeUnit.SECONDS).text());
    }

    private static String uri(long startMs, long lengthMs) {
        return "hls/v1/1/" + startMs + "_" + lengthMs + ".ts";
    }

    @Test
    void aPlaylistStartsWithTheSegmentHoldingTheTimeAndEndsAtTheRunsEnd() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 14_000), T0 + 600_000)) {
            Listed l = playlist(rig, T0 + 5_500, null);
            assertEquals(List.of(uri(T0 + 4000, 4000), uri(T0 + 8000, 4000), uri(T0 + 12_000, 4000)), l.uris());
            assertEquals(1500, l.startOffsetMs(), "the playhead starts at the asked time");
            assertEquals(14, l.targetDuration(), "grid plus the longest GOP allowed, rounded up");
            assertEquals(List.of(T0 + 4000, T0 + 8000, T0 + 12_000), l.entries().stream().map(Entry::pdtMs).toList());
            assertEquals(List.of(4000L, 4000L, 2000L), l.entries().stream().map(Entry::durationMs).toList());
            assertTrue(l.ended(), "the run ended long before now");
            assertFalse(l.entries().stream().anyMatch(Entry::discontinuity));
        }
    }

    @Test
    void aPlaylistEndsAtTheAskedEnd() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 60_000), T0 + 600_000)) {
            Listed l = playlist(rig, T0 + 1000, T0 + 9000);
            assertEquals(List.of(uri(T0, 4000), uri(T0 + 4000, 4000), uri(T0 + 8000, 4000)), l.uris());
            assertTrue(l.ended());
        }
    }

    @Test
    void aGapBecomesADiscontinuityAndTheResumptionInsideAWindowIsNamedFromItsKeyframe() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 5000).run(T0 + 6000, T0 + 12_000),
                T0 + 600_000)) {
            Listed l = playlist(rig, T0 + 4200, T0 + 12_000);
            assertEquals(List.of(uri(T0 + 4000, 4000), uri(T0 + 6000, 2000), uri(T0 + 8000, 4000)), l.uris());
            assertEquals(List.of(false, true, false), l.entries().stream().map(Entry::discontinuity).toList());
            assertEquals(List.of(1000L, 2000L, 4000L), l.entries().stream().map(Entry::durationMs).toList());
        }
    }

    @Test
    void aTimeInAGapStartsWhereRecordingResumes() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 3000).run(T0 + 20_000, T0 + 32_000),
                T0 + 600_000)) {
            Listed l = playlist(rig, T0 + 10_000, null);
            assertEquals(uri(T0 + 20_000, 4000), l.uris().get(0));
            assertEquals(0, l.startOffsetMs());
        }
    }

    @Test
    void aRecordingThatResumesMidGopIsListedFromItsFirstKeyframe() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 4500)
                .resumeMidGop(T0 + 6000, T0 + 6600, T0 + 16_000), T0 + 600_000)) {
            Listed l = playlist(rig, T0 + 4100, T0 + 16_000);
            assertEquals(List.of(uri(T0 + 4000, 4000), uri(T0 + 6600, 1400), uri(T0 + 8000, 4000),
                    uri(T0 + 12_000, 4000)), l.uris());
            assertTrue(l.entries().get(1).discontinuity());
        }
    }

    @Test
    void aNewPlaylistWalksOnlyItsFirstWindowAndListsTheNextFromProbesOfTheirEnds() throws Exception {
        FakeRecording recording = new FakeRecording().run(T0, T0 + 60_000);
        try (PlaybackRig rig = new PlaybackRig(recording, T0 + 600_000)) {
            // Walks of the windows after T's wait until the playlist has answered.
            io.vertx.core.Promise<Void> gate = recording.hold(T0 + 3990);
            Listed l = playlist(rig, T0 + 1000, T0 + 60_000);
            gate.complete();
            assertEquals(List.of(uri(T0, 4000), uri(T0 + 4000, 4000), uri(T0 + 8000, 4000)), l.uris());
            assertEquals(List.of(4000L, 4000L, 4000L), l.entries().stream().map(Entry::durationMs).toList());
            assertEquals(List.of(T0, T0 + 4000, T0 + 8000), l.entries().stream().map(Entry::pdtMs).toList());
            // The windows listed from probes are walked after the answer, to the bounds it gave them.
            for (long start : new long[] {T0 + 4000, T0 + 8000}) {
                var s = await(rig.playback.segment(CAMERA, SegmentName.window(Rendition.NORMAL, start, PlaybackRig.GRID)))
                        .orElseThrow();
                assertEquals(start, s.bounds().firstFrameMs());
                assertEquals(start + 4000, s.bounds().endMs());
                assertEquals(100, s.bounds().frames(), "every frame of the window, remuxed");
            }
            assertEquals(l.uris(), playlist(rig, T0 + 1000, T0 + 60_000).uris().subList(0, 3), "a reload lists them alike");
        }
    }

    @Test
    void thePlaylistRequestAfterAControlCallListsTheProbedWindowsWithoutWaitingForTheirWalks() throws Exception {
        FakeRecording recording = new FakeRecording().run(T0, T0 + 60_000);
        try (PlaybackRig rig = new PlaybackRig(recording, T0 + 600_000)) {
            io.vertx.core.Promise<Void> gate = recording.hold(T0 + 3990);
            // The control call plans the playlist: T's window walked, the next two listed from probes.
            Listed planned = playlist(rig, T0 + 1000, T0 + 60_000);
            int walked = recording.walks();
            // The player's request for it comes while those two are still walked (a loaded recorder):
            // T's window is known now, and the other two are listed as the control call listed them
            // (waiting for their walks, this request would not answer before the gate opens).
            Listed fetched = playlist(rig, T0 + 1000, T0 + 60_000);
            assertEquals(walked, recording.walks(), "the later windows' walks were still held");
            assertTrue(recording.walksAsked() > walked, "and under way");
            gate.complete();
            assertEquals(List.of(uri(T0, 4000), uri(T0 + 4000, 4000), uri(T0 + 8000, 4000)), planned.uris());
            assertEquals(planned.entries(), fetched.entries());
        }
    }

    @Test
    void aWindowWithADamagedFrameIsShownKeyframesOnlyWithTheBoundsItWasListedWith() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 16_000).damage(T0 + 5040),
                T0 + 600_000)) {
            Listed l = playlist(rig, T0 + 1000, T0 + 16_000);
            assertEquals(List.of(uri(T0, 4000), uri(T0 + 4000, 4000), uri(T0 + 8000, 4000)), l.uris());
            assertFalse(l.entries().stream().anyMatch(Entry::discontinuity));
            var s = await(rig.playback.segment(CAMERA, SegmentName.window(Rendition.NORMAL, T0 + 4000, PlaybackRig.GRID)))
                    .orElseThrow();
            assertEquals(T0 + 4000, s.bounds().firstFrameMs());
            assertEquals(T0 + 8000, s.bounds().endMs(), "the span the playlist gave it");
            assertEquals(4, s.bounds().frames(), "its four keyframes, each shown up to the next");
            assertEquals(1.0, rig.registry.get("gateway_playback_broken_windows_total").counter().count());
        }
    }

    @Test
    void aSmoothWindowListedFromProbesWithADamagedFrameIsShownKeyframesOnlyOverTheSameSpan() throws Exception {
        Rendition twice = new Rendition(Speed.DOUBLE, Rendition.Mode.SMOOTH);
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 40_000).damage(T0 + 9040),
                T0 + 600_000)) {
            Listed l = answered(rig, twice, T0 + 1000, T0 + 40_000);
            assertEquals(List.of("hls/v1/2s/" + T0 + "_4000.ts", "hls/v1/2s/" + (T0 + 4000) + "_4000.ts",
                    "hls/v1/2s/" + (T0 + 8000) + "_4000.ts"), l.uris());
            var s = await(rig.playback.segment(CAMERA, SegmentName.window(twice, T0 + 8000, PlaybackRig.GRID)))
                    .orElseThrow();
            assertEquals(T0 + 8000, s.bounds().firstFrameMs());
            assertEquals(T0 + 12_000, s.bounds().endMs(), "the span the playlist gave it");
            assertEquals(4, s.bounds().frames(), "its four keyframes, each shown up to the next");
            assertEquals(1.0, rig.registry.get("gateway_playback_broken_windows_total").counter().count());
        }
    }

    @Test
    void aWindowWhoseKeyframesAreDamagedTooIsSkippedAsAGapAndPlaybackGoesOn() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 40_000).damage(T0 + 13_000),
                T0 + 600_000)) {
            assertEquals(3, playlist(rig, T0 + 1000, T0 + 40_000).uris().size());
            // A viewer at the last listed window: the reload walks the windows after it, the damaged one too.
            await(rig.playback.segment(CAMERA, SegmentName.window(Rendition.NORMAL, T0 + 8000, PlaybackRig.GRID)));
            Listed l = playlist(rig, T0 + 1000, T0 + 40_000);
            assertEquals(List.of(uri(T0, 4000), uri(T0 + 4000, 4000), uri(T0 + 8000, 4000), uri(T0 + 16_000, 4000)),
                    l.uris().subList(0, 4));
            assertTrue(l.entries().get(3).discontinuity());
            assertEquals(1.0, rig.registry.get("gateway_playback_broken_windows_total").counter().count());
        }
    }

    @Test
    void nothingRecordedAfterTheTimeOrATimeNotYetPastIsNothingRecorded() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 4000), T0 + 600_000)) {
            ExecutionException after = assertThrows(ExecutionException.class, () -> playlist(rig, T0 + 60_000, null));
            assertInstanceOf(NothingRecordedException.class, after.getCause());
            ExecutionException future = assertThrows(ExecutionException.class, () -> playlist(rig, T0 + 700_000, null));
            assertInstanceOf(NothingRecordedException.class, future.getCause());
            assertTrue(future.getCause().getMessage().contains("future"), future.getCause().getMessage());
        }
    }

    @Test
    void aRecordingMoreThanTheMaximumWindowAheadIsStillFound() throws Exception {
        long later = T0 + 3 * 3_600_000L;
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 10_000).run(later, later + 12_000),
                T0 + 86_400_000L)) {
            Listed l = playlist(rig, T0 + 20_000, null);
            assertEquals(uri(later, 4000), l.uris().get(0));
            assertEquals(0, l.startOffsetMs());
            // A player reloads until the end is listed; under load the last windows take a while to be produced.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!l.ended() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                l = playlist(rig, T0 + 20_000, null);
            }
            assertEquals(List.of(uri(later, 4000), uri(later + 4000, 4000), uri(later + 8000, 4000)), l.uris());
            assertTrue(l.ended(), "it runs to the end of that recording");
            ExecutionException e = assertThrows(ExecutionException.class, () -> playlist(rig, T0 + 20_000, later));
            assertInstanceOf(NothingRecordedException.class, e.getCause());
        }
    }

    @Test
    void anUnreachableRecorderFailsThePlaylistAsUnavailable() throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 16_000);
        r.down(true);
        try (PlaybackRig rig = new PlaybackRig(r, T0 + 600_000)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> playlist(rig, T0 + 1000, null));
            assertInstanceOf(XProtectUnavailableException.class, e.getCause());
        }
    }

    @Test
    void aCameraOfACodecNothingDecodesFailsTheWholePlaylist() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 16_000, 100, 100,
                FrameSource.Codec.OTHER), T0 + 600_000)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> playlist(rig, T0 + 1000, null));
            assertEquals(FrameSource.Codec.OTHER, assertInstanceOf(UnsupportedCodecException.class, e.getCause()).codec());
        }
    }

    @Test
    void aKnownMomentIsListedWithoutAskingTheRecorderAgain() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 40_000), T0 + 600_000)) {
            Listed first = playlist(rig, T0 + 5000, T0 + 40_000);
            // Its windows' productions end (windows listed from probes are walked after the answer).
            awaitProductions(rig, first.entries().size());
            assertEquals(first.entries().size(), productions(rig));
            int probes = rig.recording.probes();
            int walks = rig.recording.walks();
            Listed again = playlist(rig, T0 + 5000, T0 + 40_000);
            assertEquals(first.uris(), again.uris().subList(0, first.uris().size()), "a playlist only grows");
            assertEquals(probes, rig.recording.probes(), "no keyframe probe for a learned window");
            assertEquals(walks, rig.recording.walks(), "no walk for windows already produced");
        }
    }

    @Test
    void aNewPlaylistListsTwoGridLengthsAfterTheTimeAndStaysAheadOfItsViewer() throws Exception {
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 120_000), T0 + 600_000)) {
            Listed l = playlist(rig, T0 + 1000, T0 + 120_000);
            assertEquals(List.of(uri(T0, 4000), uri(T0 + 4000, 4000), uri(T0 + 8000, 4000)), l.uris());
            assertFalse(l.ended());
            // A viewer asks for the last listed segment: the next reload lists the prefetch distance past it.
            await(rig.playback.segment(CAMERA, SegmentName.window(Rendition.NORMAL, T0 + 8000, PlaybackRig.GRID)));
            Listed next = playlist(rig, T0 + 1000, T0 + 120_000);
            assertEquals(6, next.uris().size(), next.uris().toString());
        }
    }

    @Test
    void aPlaylistCatchesUpAtOnceWithAViewerFurtherOnThanItLists() throws Exception {
        // A viewer who played this playlist from another instance (killed) asks this one for segment 12.
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 300_000), T0 + 600_000)) {
            await(rig.playback.segment(CAMERA, SegmentName.window(Rendition.NORMAL, T0 + 12 * 4000, PlaybackRig.GRID)));
            Listed l = playlist(rig, T0 + 1000, T0 + 300_000);
            assertTrue(l.uris().contains(uri(T0 + 12 * 4000, 4000)), "lists the viewer's segment: " + l.uris());
            assertTrue(l.uris().size() >= 13 + 3, "and the prefetch distance past it: " + l.uris().size());
            assertTrue(l.uris().size() <= 13 + 3 + 1, "no further: " + l.uris().size());
        }
        // A player that began the playlist 40 s ago (from another instance, through a cache that kept its
        // requests from this one) has played about 40 s: listed to there and the prefetch distance on.
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 300_000), T0 + 600_000)) {
            Listed l = parse(await(rig.playback.playlist(CAMERA, Rendition.NORMAL, Instant.ofEpochMilli(T0 + 1000),
                    Instant.ofEpochMilli(T0 + 300_000), Instant.ofEpochMilli(T0 + 600_000 - 40_000))).text());
            assertTrue(l.uris().contains(uri(T0 + 40_000, 4000)), "lists the player's position: " + l.uris());
            assertTrue(l.uris().size() >= 11 + 3 && l.uris().size() <= 11 + 3 + 1, l.uris().size() + " listed");
        }
        // A player that just began (its start known) is not the viewer further on: another operator
        // watching the same camera a minute ahead does not make its first playlist wait for a minute of windows.
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 300_000), T0 + 600_000)) {
            await(rig.playback.segment(CAMERA, SegmentName.window(Rendition.NORMAL, T0 + 12 * 4000, PlaybackRig.GRID)));
            Listed l = parse(await(rig.playback.playlist(CAMERA, Rendition.NORMAL, Instant.ofEpochMilli(T0 + 1000),
                    Instant.ofEpochMilli(T0 + 300_000), Instant.ofEpochMilli(T0 + 600_000))).text());
            assertTrue(l.uris().size() <= 1 + 3, "its own start and the prefetch distance past it: " + l.uris());
        }
        // Without such a viewer it lists what a new player needs, not more.
        try (PlaybackRig rig = new PlaybackRig(new FakeRecording().run(T0, T0 + 300_000), T0 + 600_000)) {
            assertEquals(3, playlist(rig, T0 + 1000, T0 + 300_000).uris().size());
        }
    }

    @Test
    void catchingUpWithAViewerFurtherOnListsTheWindowsBetweenFromProbesWithoutWaitingForTheirWalks() throws Exception {
        // An operator watches segment 12; another (or the same, seeking back) opens the camera 47 s earlier.
        FakeRecording r = new FakeRecording().run(T0, T0 + 300_000);
        try (PlaybackRig rig = new PlaybackRig(r, T0 + 600_000)) {
            await(rig.playback.segment(CAMERA, SegmentName.window(Rendition.NORMAL, T0 + 12 * 4000, PlaybackRig.GRID)));
            awaitIdle(rig);
            // The recorder is slow past the first three windows: their walks do not end while the playlist is asked.
            io.vertx.core.Promise<Void> gate = r.hold(T0 + 3 * 4000);
            io.vertx.core.Future<Playlist> asked = rig.playback.playlist(CAMERA, Rendition.NORMAL,
                    Instant.ofEpochMilli(T0 + 1000), Instant.ofEpochMilli(T0 + 300_000));
            Listed l = parse(asked.toCompletionStage().toCompletableFuture()
                    .get(5, java.util.concurrent.TimeUnit.SECONDS).text());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 13 + 3; i++) {
                expected.add(uri(T0 + i * 4000, 4000));
            }
            assertEquals(expected, l.uris(), "up to the viewer's segment and the prefetch distance past it");
            assertTrue(l.entries().stream().allMatch(e -> e.durationMs() == 4000), "each as long as its walk finds it");
            gate.complete();
            awaitIdle(rig);
        }
    }

    @Test
    void aNewSmoothPlaylistListsTheWindowsAfterItsFirstFromProbesWithoutWaitingForTheirTranscodes() throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 300_000);
        Rendition twice = new Rendition(Speed.DOUBLE, Rendition.Mode.SMOOTH);
        try (PlaybackRig rig = new PlaybackRig(r, T0 + 600_000)) {
            io.vertx.core.Promise<Void> gate = r.hold(T0 + 104_000);
            Listed l = answered(rig, twice, T0 + 100_500, null);
            assertEquals(List.of("hls/v1/2s/" + (T0 + 100_000) + "_4000.ts", "hls/v1/2s/" + (T0 + 104_000) + "_4000.ts",
                    "hls/v1/2s/" + (T0 + 108_000) + "_4000.ts"), l.uris(), "T's window and the two after it");
            assertTrue(l.entries().stream().allMatch(e -> e.durationMs() == 2000), "4 s of recording at 2x each");
            gate.complete();
            awaitIdle(rig);
            Listed made = answered(rig, twice, T0 + 100_500, null);
            assertEquals(l.entries(), made.entries().subList(0, 3), "made, they are listed the same");
        }
    }

    @Test
    void aNewBackwardSmoothPlaylistListsTheWindowsBeforeItsFirstFromProbesWithoutWaitingForTheirTranscodes()
            throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 300_000);
        Rendition back = new Rendition(Speed.REVERSE_1, Rendition.Mode.SMOOTH);
        try (PlaybackRig rig = new PlaybackRig(r, T0 + 600_000)) {
            // The recorder is slow before T's window: the windows a -1x playlist lists after it are not made
            // while it is asked.
            io.vertx.core.Promise<Void> gate = r.holdBefore(T0 + 100_000);
            Listed l = answered(rig, back, T0 + 100_500, T0);
            List<String> expected = List.of("hls/v1/-1s/" + (T0 + 100_000) + "_2000.ts",
                    "hls/v1/-1s/" + (T0 + 98_000) + "_2000.ts", "hls/v1/-1s/" + (T0 + 96_000) + "_2000.ts");
            assertEquals(expected, l.uris(), "T's window and the two before it");
            assertTrue(l.entries().stream().allMatch(e -> e.durationMs() == 2000), "each as long as it is made");
            assertEquals(List.of(T0 + 102_000, T0 + 100_000, T0 + 98_000),
                    l.entries().stream().map(Entry::pdtMs).toList(), "each dated where its backward run starts");
            gate.complete();
            awaitIdle(rig);
            Listed made = answered(rig, back, T0 + 100_500, T0);
            assertEquals(l.entries(), made.entries().subList(0, 3), "made, they are listed the same");
        }
    }

    @Test
    void whileProductionsWaitANewPlaylistAnswersOneGridLengthAfterItsTime() throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 300_000);
        try (PlaybackRig rig = new PlaybackRig(r, T0 + 600_000, 1)) {
            io.vertx.core.Promise<Void> gate = r.hold();
            io.vertx.core.Future<?> running = rig.playback.segment(CAMERA,
                    SegmentName.window(Rendition.NORMAL, T0 + 200_000, PlaybackRig.GRID));
            io.vertx.core.Future<?> waiting = rig.playback.segment(CAMERA,
                    SegmentName.window(Rendition.NORMAL, T0 + 240_000, PlaybackRig.GRID));
            io.vertx.core.Future<Playlist> busy = rig.playback.playlist(CAMERA, Rendition.NORMAL,
                    Instant.ofEpochMilli(T0 + 1000), Instant.ofEpochMilli(T0 + 300_000));
            gate.complete();
            await(running);
            await(waiting);
            assertEquals(List.of(uri(T0, 4000), uri(T0 + 4000, 4000)), parse(await(busy).text()).uris(),
                    "T's window and the next: a grid length after T, not two");
        }
    }

    @Test
    void aReloadWaitingForTheWindowAfterItsListGoesAheadOfPrefetch() throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 300_000);
        long end = T0 + 300_000;
        try (PlaybackRig rig = new PlaybackRig(r, T0 + 600_000, 1)) {
            // Two viewers have played every segment their playlists listed.
            for (long t : new long[] {T0 + 1000, T0 + 101_000}) {
                for (String uri : playlist(rig, t, end).uris()) {
                    await(rig.playback.segment(CAMERA, SegmentName.parse(uri.substring(4), PlaybackRig.GRID).orElseThrow()));
                }
            }
            // The only slot is taken when both reload: each waits for its next window, and asks for the
            // two after it ahead.
            io.vertx.core.Promise<Void> gate = r.hold(T0 + 200_000);
            io.vertx.core.Future<?> running = rig.playback.segment(CAMERA,
                    SegmentName.window(Rendition.NORMAL, T0 + 200_000, PlaybackRig.GRID));
            int before = r.walked().size();
            io.vertx.core.Future<Playlist> second = rig.playback.playlist(CAMERA, Rendition.NORMAL,
                    Instant.ofEpochMilli(T0 + 101_000), Instant.ofEpochMilli(end));
            io.vertx.core.Future<Playlist> first = rig.playback.playlist(CAMERA, Rendition.NORMAL,
                    Instant.ofEpochMilli(T0 + 1000), Instant.ofEpochMilli(end));
            gate.complete();
            await(running);
            assertEquals(uri(T0 + 12_000, 4000), parse(await(first).text()).uris().get(3));
            assertEquals(uri(T0 + 112_000, 4000), parse(await(second).text()).uris().get(3));
            List<Long> order = r.walked().subList(before, r.walked().size()).stream()
                    .map(t -> SegmentName.gridStart(t, PlaybackRig.GRID)).distinct().toList();
            assertTrue(order.indexOf(T0 + 12_000) >= 0 && order.indexOf(T0 + 12_000) < order.indexOf(T0 + 116_000),
                    "a viewer waits for its reload: its window goes before the other's prefetch: " + order);
        }
    }

    @Test
    void aBackwardReloadWaitsForItsWindowAheadOfThePrefetchBeforeIt() throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 400_000);
        Rendition back = new Rendition(com.cns.gateway.media.hls.Speed.of(-4).orElseThrow(), Rendition.Mode.KEYFRAMES);
        long win = back.windowMs(PlaybackRig.GRID);
        try (PlaybackRig rig = new PlaybackRig(r, T0 + 600_000, 1)) {
            Listed l = parse(await(rig.playback.playlist(CAMERA, back, Instant.ofEpochMilli(T0 + 200_500), null)).text());
            for (String uri : l.uris()) {
                await(rig.playback.segment(CAMERA, SegmentName.parse(uri.substring(4), PlaybackRig.GRID).orElseThrow()));
            }
            awaitIdle(rig);
            java.util.Set<Long> walkedBefore = r.walked().stream().map(t -> SegmentName.gridStart(t, win))
                    .collect(java.util.stream.Collectors.toSet());
            // The only slot is taken when the viewer reloads.
            io.vertx.core.Promise<Void> gate = r.hold(T0 + 300_000);
            io.vertx.core.Future<?> running = rig.playback.segment(CAMERA,
                    SegmentName.window(Rendition.NORMAL, T0 + 300_000, PlaybackRig.GRID));
            int before = r.walked().size();
            io.vertx.core.Future<Playlist> reload = rig.playback.playlist(CAMERA, back, Instant.ofEpochMilli(T0 + 200_500),
                    null);
            gate.complete();
            await(running);
            List<Long> waitedFor = parse(await(reload).text()).uris().stream()
                    .map(u -> SegmentName.parse(u.substring(4), PlaybackRig.GRID).orElseThrow().startMs())
                    .filter(s -> !walkedBefore.contains(s)).toList();
            List<Long> order = r.walked().subList(before, r.walked().size()).stream()
                    .map(t -> SegmentName.gridStart(t, win)).distinct().toList();
            assertFalse(waitedFor.isEmpty(), "the reload lists a window it waited for");
            assertEquals(waitedFor.get(0), order.get(1),
                    "after the running one, the window the reload waits for, then prefetch: " + order);
        }
    }

    /** Waits until no production runs or waits. */
    private static void awaitIdle(PlaybackRig rig) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (rig.registry.get("gateway_playback_productions_active").gauge().value() == 0
                    && rig.registry.get("gateway_playback_productions_waiting").gauge().value() == 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("productions still under way");
    }

    @Test
    void theFinalSegmentOfDataIsFinalOnlyOnceSealed() throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 10_000);
        try (PlaybackRig live = new PlaybackRig(r, T0 + 10_010)) {
            Listed l = playlist(live, T0 + 9000, null);
            assertFalse(l.ended(), "data may still come");
        }
        try (PlaybackRig later = new PlaybackRig(r, T0 + 300_000)) {
            assertTrue(playlist(later, T0 + 9000, T0 + 20_000).ended());
        }
    }

    /** The EVENT playlist as a player ends up with it: fetched and its segments asked for until it ends. */
    private static Listed playedThrough(PlaybackRig rig, Rendition r, long timeMs, Long endMs) throws Exception {
        Listed l = null;
        for (int round = 0; round < 30 && (l == null || !l.ended()); round++) {
            l = parse(await(rig.playback.playlist(CAMERA, r, Instant.ofEpochMilli(timeMs),
                    endMs == null ? null : Instant.ofEpochMilli(endMs))).text());
            for (String uri : l.uris()) {
                await(rig.playback.segment(CAMERA, SegmentName.parse(uri.substring(4), PlaybackRig.GRID).orElseThrow()));
            }
        }
        return l;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(doubles = {1, 4, -1, -4})
    void aVodPlaylistListsAtOnceWhatTheEventPlaylistListsInTheEnd(double speed) throws Exception {
        Rendition r = speed == 1 ? Rendition.NORMAL
                : new Rendition(com.cns.gateway.media.hls.Speed.of(speed).orElseThrow(), Rendition.Mode.KEYFRAMES);
        FakeRecording rec = new FakeRecording().run(T0, T0 + 30_000).run(T0 + 33_000, T0 + 70_000)
                .run(T0 + 100_000, T0 + 180_000, 40, 3000, FrameSource.Codec.H264);
        long t = speed > 0 ? T0 + 5_500 : T0 + 150_500;
        Long end = speed > 0 ? T0 + 150_000 : T0 + 10_000;
        try (PlaybackRig events = new PlaybackRig(rec, T0 + 600_000); PlaybackRig vods = new PlaybackRig(rec,
                T0 + 600_000)) {
            Listed whole = playedThrough(events, r, t, end);
            String text = await(vods.playback.vodPlaylist(CAMERA, r, Instant.ofEpochMilli(t), Instant.ofEpochMilli(end)))
                    .text();
            assertTrue(text.contains("#EXT-X-PLAYLIST-TYPE:VOD\n") && text.contains("#EXT-X-ENDLIST"), text);
            Listed vod = parse(text);
            assertTrue(whole.ended());
            assertEquals(whole.uris(), vod.uris(), "the same segments by the same names");
            assertEquals(whole.entries().stream().map(Entry::pdtMs).toList(),
                    vod.entries().stream().map(Entry::pdtMs).toList(), "the same dates");
            assertEquals(whole.entries().stream().map(Entry::discontinuity).toList(),
                    vod.entries().stream().map(Entry::discontinuity).toList(), "the same discontinuities");
            for (int i = 0; i < whole.entries().size(); i++) {
                assertTrue(Math.abs(whole.entries().get(i).durationMs() - vod.entries().get(i).durationMs()) <= 40,
                        "durations within a frame: " + whole.entries().get(i) + " / " + vod.entries().get(i));
            }
            assertEquals(whole.startOffsetMs(), vod.startOffsetMs());
        }
    }

    private static long productions(PlaybackRig rig) {
        return rig.registry.get("gateway_playback_segment_production_seconds").timer().count();
    }

    private static void awaitProductions(PlaybackRig rig, long n) throws InterruptedException {
        for (int i = 0; i < 100 && productions(rig) < n; i++) {
            Thread.sleep(20);
        }
    }

    @Test
    void prefetchYieldsWhileProductionsWaitForASlot() throws Exception {
        FakeRecording r = new FakeRecording().run(T0, T0 + 120_000);
        try (PlaybackRig rig = new PlaybackRig(r, T0 + 600_000, 1)) {
            SegmentName first = SegmentName.window(Rendition.NORMAL, T0, PlaybackRig.GRID);
            io.vertx.core.Promise<Void> gate = r.hold();
            io.vertx.core.Future<?> running = rig.playback.segment(CAMERA, first);
            io.vertx.core.Future<?> waiting = rig.playback.segment(CAMERA,
                    SegmentName.window(Rendition.NORMAL, T0 + 60_000, PlaybackRig.GRID));
            rig.playback.prefetch(CAMERA, first);
            gate.complete();
            await(running);
            await(waiting);
            Thread.sleep(200);
            assertEquals(2, productions(rig), "a viewer waited: no guesses were queued behind it");
            rig.playback.prefetch(CAMERA, first);
            awaitProductions(rig, 5);
            assertEquals(5, productions(rig), "idle, the next three windows are produced ahead");
        }
    }
}
