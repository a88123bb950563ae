package com.cns.gateway.transcoder.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnnexBTest {
    private static final byte[] IDR_UNIT = {0, 0, 0, 1, 0x09, (byte) 0xF0, 0, 0, 0, 1, 0x67, 1, 0, 0, 1, 0x65, 7};
    private static final byte[] P_UNIT = {0, 0, 0, 1, 0x09, (byte) 0xF0, 0, 0, 1, 0x41, 9, 9};

    @Test
    void accessUnitsSplitAtDelimitersAndKeepTheirStartCodes() {
        byte[] stream = new byte[3 + IDR_UNIT.length + P_UNIT.length];
        stream[0] = 0x55; // junk before the first delimiter is dropped
        stream[1] = 0x66;
        stream[2] = 0x77;
        System.arraycopy(IDR_UNIT, 0, stream, 3, IDR_UNIT.length);
        System.arraycopy(P_UNIT, 0, stream, 3 + IDR_UNIT.length, P_UNIT.length);
        List<byte[]> units = AnnexB.accessUnits(stream);
        assertEquals(2, units.size());
        assertArrayEquals(IDR_UNIT, units.get(0));
        assertArrayEquals(P_UNIT, units.get(1));
        assertEquals(5, AnnexB.firstSliceType(units.get(0)));
        assertEquals(1, AnnexB.firstSliceType(units.get(1)));
        assertEquals(-1, AnnexB.firstSliceType(new byte[] {0, 0, 1, 0x09, (byte) 0xF0}));
    }
}
