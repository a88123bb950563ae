package com.cns.gateway.recordingindex;

import com.cns.gateway.milestone.XpSequence;
import com.cns.gateway.milestone.soap.RecorderCommandClient;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * XProtectSequenceSource reads sequences with RecorderCommandService: {@code SequencesGet} answers at
 * most {@code maxCount} sequences beginning at or after {@code minTime}, so it asks again from the
 * last one's begin until a short page; {@code SequencesGetAround} with one before and none after gives
 * the sequence that began before a time and may straddle it, and with none before and one after the
 * next sequence however far ahead (a begin equal to the center counts as after). For a range that
 * reaches now, one {@code SequencesGetAround} with one before and {@code maxCount} after answers both
 * the straddling sequence and those inside, since nothing begins after now: one SOAP call instead of
 * two for the dashboards' "last 24 hours" (the queries benchmark's cold case).
 */
public final class XProtectSequenceSource implements SequenceSource {
    private final RecorderCommandClient recorders;
    private final int maxCount;

    public XProtectSequenceSource(RecorderCommandClient recorders, int maxCount) {
        this.recorders = recorders;
        this.maxCount = maxCount;
    }

    @Override
    public Future<List<XpSequence>> beginningIn(CameraAddress c, Instant from, Instant to) {
        return page(c, from, to, new ArrayList<>());
    }

    private Future<List<XpSequence>> page(CameraAddress c, Instant from, Instant to, List<XpSequence> acc) {
        return recorders.sequencesGet(c.recorder(), c.deviceId(), from, to, maxCount).compose(found -> {
            Instant lastBegin = acc.isEmpty() ? null : acc.get(acc.size() - 1).begin();
            int added = 0;
            for (XpSequence s : found) {
                // minTime is inclusive: the page starting at the previous page's last begin repeats it.
                if (s.begin().isBefore(to) && (lastBegin == null || s.begin().isAfter(lastBegin))) {
                    acc.add(s);
                    added++;
                }
            }
            if (found.size() < maxCount || added == 0) {
                return Future.succeededFuture(acc);
            }
            return page(c, acc.get(acc.size() - 1).begin(), to, acc);
        });
    }

    @Override
    public Future<Around> aroundUpToNow(CameraAddress c, Instant from, Instant to) {
        return recorders.sequencesGetAround(c.recorder(), c.deviceId(), from, 1, maxCount).compose(found -> {
            Optional<XpSequence> before = found.stream().filter(s -> s.begin().isBefore(from)).reduce((a, b) -> b);
            List<XpSequence> after = found.stream().filter(s -> !s.begin().isBefore(from)).toList();
            List<XpSequence> inside = new ArrayList<>(after.stream().filter(s -> s.begin().isBefore(to)).toList());
            if (after.size() < maxCount || inside.isEmpty()) {
                return Future.succeededFuture(new Around(before, inside));
            }
            // A full page: read on from its last begin, as beginningIn pages.
            return page(c, inside.get(inside.size() - 1).begin(), to, inside).map(all -> new Around(before, all));
        });
    }

    @Override
    public Future<Optional<XpSequence>> lastBeginningBefore(CameraAddress c, Instant t) {
        return recorders.sequencesGetAround(c.recorder(), c.deviceId(), t, 1, 0)
                .map(found -> found.stream().filter(s -> s.begin().isBefore(t)).reduce((a, b) -> b));
    }

    @Override
    public Future<Optional<XpSequence>> firstBeginningAtOrAfter(CameraAddress c, Instant t) {
        return recorders.sequencesGetAround(c.recorder(), c.deviceId(), t, 0, 1)
                .map(found -> found.stream().filter(s -> !s.begin().isBefore(t)).findFirst());
    }

    @Override
    public Future<Instant> retentionLimit(CameraAddress c) {
        return recorders.retentionTimeLimit(c.recorder(), c.deviceId());
    }
}
