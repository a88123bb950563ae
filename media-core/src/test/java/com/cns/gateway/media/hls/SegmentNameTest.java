package com.cns.gateway.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentNameTest {
    private static final long GRID = 4000;

    @Test
    void canonicalNameRoundTrips() {
        SegmentName n = SegmentName.window(Rendition.NORMAL, 1_761_561_002_345L, GRID);
        assertEquals("v1/1/1761561000000_4000.ts", n.toString());
        assertEquals("v1/1/1761561004000_4000.ts", n.nextWindow(GRID).toString());
        assertEquals("v1/1/1761560996000_4000.ts", n.previousWindow(GRID).toString());
        assertEquals(n, SegmentName.parse(n.toString(), GRID).orElseThrow());
        assertEquals(-4000, SegmentName.gridStart(-1, GRID));
    }

    @Test
    void aSmoothWindowIsHalfAGridLengthAndItsKeyframesTwinIsAWholeWindowToo() {
        SegmentName smooth = SegmentName.window(new Rendition(Speed.REVERSE_1, Rendition.Mode.SMOOTH),
                1_761_561_003_000L, GRID);
        assertEquals("v1/-1s/1761561002000_2000.ts", smooth.toString());
        SegmentName twin = new SegmentName(smooth.version(), new Rendition(Speed.REVERSE_1, Rendition.Mode.KEYFRAMES),
                smooth.startMs(), smooth.lengthMs());
        assertTrue(twin.onGrid(GRID), "a keyframes-only window standing in for a smooth one is whole");
        assertEquals(twin, SegmentName.parse(twin.toString(), GRID).orElseThrow());
        assertEquals(4000, SegmentName.window(twin.rendition(), 1_761_561_003_000L, GRID).lengthMs(),
                "keyframes-only playlists keep whole grid lengths");
    }

    @Test
    void aResumptionInsideAWindowRunsToTheNextGridLine() {
        SegmentName n = SegmentName.parse("v1/1/1761561001234_2766.ts", GRID).orElseThrow();
        assertEquals(1_761_561_001_234L, n.startMs());
        assertTrue(!n.onGrid(GRID));
        assertEquals(n, SegmentName.resumption(Rendition.NORMAL, 1_761_561_001_234L, GRID));
        assertEquals(SegmentName.window(Rendition.NORMAL, 1_761_561_001_234L, GRID).nextWindow(GRID),
                n.nextWindow(GRID), "a resumption is followed by the next grid window");
        assertTrue(SegmentName.parse("v1/1/1761561001234_2000.ts", GRID).isEmpty(), "must end on the grid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1/1/1761561001000_4000.ts", "v1/1/1761561000000_2000.ts", "v1/3/1761561000000_4000.ts",
        "v1/16/1761561000000_4000.ts", "v2/1/1761561000000_4000.ts", "v1/1/01761561000000_4000.ts",
        "v1/0/1761561000000_4000.ts", "v1/1/1761561000000_4000.mp4", "../etc/passwd"})
    void offGridOtherLengthOrNonCanonicalNamesAreRejected(String name) {
        assertTrue(SegmentName.parse(name, GRID).isEmpty(), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1/8k/1761561024000_32000.ts", "v1/-1s/1761561002000_2000.ts",
        "v1/-0.5s/1761561001000_1000.ts", "v1/1s/1761561002000_2000.ts", "v1/2k/1761561001234_6766.ts",
        "v1/-1k/1761561002000_2000.ts", "v1/2k/1761561004000_4000.ts"})
    void renditionsHaveWindowsOfTheirSpeedTimesTheGridHalvedWhenSmoothWhichKeyframesMayStandIn(String name) {
        SegmentName n = SegmentName.parse(name, GRID).orElseThrow(() -> new AssertionError(name));
        assertEquals(name, n.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1/8k/1761561024000_4000.ts", "v1/3k/1761561000000_12000.ts",
        "v1/2/1761561000000_8000.ts", "v1/8x/1761561024000_32000.ts", "v1/-0.5s/1761561000000_4000.ts",
        "v1/-1s/1761561000000_4000.ts", "v1/-1k/1761561001000_2000.ts"})
    void aWindowOfAnotherLengthAnUnknownSpeedOrAFastRemuxIsNoSegment(String name) {
        assertTrue(SegmentName.parse(name, GRID).isEmpty(), name);
    }
}
