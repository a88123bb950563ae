package com.cns.gateway.api.cameras;

import com.cns.gateway.api.http.ApiError;
import com.cns.gateway.api.http.RequestReader;
import io.vertx.core.json.JsonObject;

/** CameraLocation is where a camera stands: WGS84 coordinates and an optional street address. */
public record CameraLocation(double latitude, double longitude, String address) {

    /** Reads {@code {"latitude":…,"longitude":…,"address":…}}; both coordinates are required. */
    public static CameraLocation fromJson(JsonObject j) {
        Double lat = RequestReader.number(j, "location.latitude", -90, 90);
        Double lon = RequestReader.number(j, "location.longitude", -180, 180);
        if (lat == null || lon == null) {
            throw ApiError.badRequest("Field 'location' needs both 'latitude' and 'longitude'");
        }
        return new CameraLocation(lat, lon, RequestReader.string(j, "location.address", 500));
    }
}
