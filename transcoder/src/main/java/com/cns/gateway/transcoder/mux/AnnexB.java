package com.cns.gateway.transcoder.mux;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** AnnexB reads H.264 Annex-B byte streams (start-code delimited NAL units). */
public final class AnnexB {
    private static final int NAL_AUD = 9;

    private AnnexB() {
    }

    /**
     * Splits a stream into access units at its access unit delimiters (NAL type 9), each with its
     * start codes; bytes before the first delimiter are dropped.
     */
    public static List<byte[]> accessUnits(byte[] s) {
        List<byte[]> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i + 3 < s.length; i++) {
            if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1 && (s[i + 3] & 0x1f) == NAL_AUD) {
                int at = i > 0 && s[i - 1] == 0 ? i - 1 : i;
                if (start >= 0) {
                    out.add(Arrays.copyOfRange(s, start, at));
                }
                start = at;
                i += 3;
            }
        }
        if (start >= 0) {
            out.add(Arrays.copyOfRange(s, start, s.length));
        }
        return out;
    }

    /** The type of the first slice NAL unit of an access unit (5 for IDR, 1 otherwise), or -1 if none. */
    public static int firstSliceType(byte[] accessUnit) {
        for (int i = 0; i + 3 < accessUnit.length; i++) {
            if (accessUnit[i] == 0 && accessUnit[i + 1] == 0 && accessUnit[i + 2] == 1) {
                int type = accessUnit[i + 3] & 0x1f;
                if (type == 1 || type == 5) {
                    return type;
                }
            }
        }
        return -1;
    }
}
