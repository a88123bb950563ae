package com.cns.gateway.transcoder.sei;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordingTimeSeiTest {

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 3L, 256L, 65_536L, 1_764_000_000_000L, 1_795_349_402_367L, Long.MAX_VALUE})
    void timesSurviveEmulationPreventionInAnAccessUnit(long ms) {
        byte[] sei = RecordingTimeSei.nal(ms);
        for (int i = 2; i < sei.length; i++) {
            assertTrue(!(sei[i - 2] == 0 && sei[i - 1] == 0 && (sei[i] & 0xff) <= 2),
                    "no start code emulation inside the NAL");
        }
        ByteArrayOutputStream au = new ByteArrayOutputStream();
        au.writeBytes(new byte[] {0, 0, 0, 1, 0x09, (byte) 0xF0});
        au.writeBytes(new byte[] {0, 0, 0, 1});
        au.writeBytes(sei);
        au.writeBytes(new byte[] {0, 0, 0, 1, 0x65, (byte) 0x88, 0x00, 0x00, 0x03, 0x01});
        assertEquals(ms, RecordingTimeSei.read(au.toByteArray()).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "000000016588"})
    void anAccessUnitWithoutTheSeiHasNoTime(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        assertTrue(RecordingTimeSei.read(b).isEmpty());
    }
}
