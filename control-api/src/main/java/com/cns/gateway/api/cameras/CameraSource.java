package com.cns.gateway.api.cameras;

import com.cns.gateway.api.http.ApiError;
import java.util.Arrays;
import java.util.stream.Collectors;

/** CameraSource is the organisation a camera belongs to, as the CNS camera model names them. */
public enum CameraSource {
    DUBAI_POLICE, METRO, BUS, OTHER;

    /** Parses a client's value (exact names), naming the accepted ones when it is not one of them. */
    public static CameraSource parse(String field, String value) {
        for (CameraSource s : values()) {
            if (s.name().equals(value)) {
                return s;
            }
        }
        throw ApiError.badRequest("Field '" + field + "' must be one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + ", got '" + value + "'");
    }
}
