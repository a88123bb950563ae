package com.cns.xprotect.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.w3c.dom.Element;

/**
 * SequenceQueries answers the recording-query methods of RecorderCommandService in the WSDL's
 * shapes: {@code SequencesGetTypes}, {@code SequencesGet} (sequences beginning in [minTime, maxTime],
 * sorted by TimeBegin, at most maxCount), {@code SequencesGetAround} (a TimeBegin equal to centerTime
 * counts as after) and {@code GetRetentionTimeLimit}. Times carry 7 fractional digits, as a real
 * recorder writes them.
 */
final class SequenceQueries {
    static final String RECORDING_SEQUENCE = "f9c62604-d0c5-4050-ae25-72de51639b14";
    static final String MOTION_SEQUENCE = "53cb5e33-2183-44bd-9491-8364d2457480";
    static final String TRIGGER_SEQUENCE = "0601d294-b7e5-4d93-9614-9658561ad5e4";
    private static final DateTimeFormatter SEVEN_DIGITS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);
    /** How far back SequencesGetAround looks for sequences before its center. */
    private static final long AROUND_WINDOW_DAYS = 40;

    private final RecordingHistory history;

    SequenceQueries(RecordingHistory history) {
        this.history = history;
    }

    /** The SOAP body of the answer, or null if {@code op} is not one of these methods. */
    String answer(Element op, String deviceId) {
        String ns = RecorderCommandService.NS;
        return switch (op.getLocalName()) {
            case "SequencesGetTypes" -> "<SequencesGetTypesResponse xmlns=\"" + ns + "\"><SequencesGetTypesResult>"
                    + type(RECORDING_SEQUENCE, "RecordingSequence") + type(MOTION_SEQUENCE, "MotionSequence")
                    + type(TRIGGER_SEQUENCE, "RecordingWithTriggerSequence")
                    + "</SequencesGetTypesResult></SequencesGetTypesResponse>";
            case "SequencesGet" -> {
                Instant min = time(op, "minTime");
                Instant max = time(op, "maxTime");
                int maxCount = integer(op, "maxCount");
                List<RecordedSpan> found = recording(op) ? history.spans(deviceId, min, max.plusMillis(1))
                        .stream().filter(s -> !s.begin().isBefore(min) && !s.begin().isAfter(max)).limit(maxCount)
                        .toList() : List.of();
                yield "<SequencesGetResponse xmlns=\"" + ns + "\">" + entries("SequencesGetResult", found)
                        + "</SequencesGetResponse>";
            }
            case "SequencesGetAround" -> {
                Instant center = time(op, "centerTime");
                int before = integer(op, "maxCountBefore");
                int after = integer(op, "maxCountAfter");
                List<RecordedSpan> found = List.of();
                if (recording(op)) {
                    List<RecordedSpan> all = history.spans(deviceId,
                            center.minus(java.time.Duration.ofDays(AROUND_WINDOW_DAYS)),
                            center.plus(java.time.Duration.ofDays(AROUND_WINDOW_DAYS)));
                    List<RecordedSpan> b = all.stream().filter(s -> s.begin().isBefore(center)).toList();
                    List<RecordedSpan> a = all.stream().filter(s -> !s.begin().isBefore(center)).limit(after)
                            .toList();
                    found = new java.util.ArrayList<>(b.subList(Math.max(0, b.size() - before), b.size()));
                    found.addAll(a);
                }
                yield "<SequencesGetAroundResponse xmlns=\"" + ns + "\">" + entries("SequencesGetAroundResult", found)
                        + "</SequencesGetAroundResponse>";
            }
            case "GetRetentionTimeLimit" -> "<GetRetentionTimeLimitResponse xmlns=\"" + ns
                    + "\"><GetRetentionTimeLimitResult>" + SEVEN_DIGITS.format(history.retentionLimit(deviceId))
                    + "</GetRetentionTimeLimitResult></GetRetentionTimeLimitResponse>";
            default -> null;
        };
    }

    private static boolean recording(Element op) {
        return RECORDING_SEQUENCE.equalsIgnoreCase(SoapMessages.text(op, "sequenceType"));
    }

    private static String type(String id, String name) {
        return "<SequenceType><Id>" + id + "</Id><Name>" + name + "</Name></SequenceType>";
    }

    private static String entries(String wrapper, List<RecordedSpan> spans) {
        if (spans.isEmpty()) {
            return "<" + wrapper + " />";
        }
        StringBuilder sb = new StringBuilder("<").append(wrapper).append(">");
        for (RecordedSpan s : spans) {
            String begin = SEVEN_DIGITS.format(s.begin());
            sb.append("<SequenceEntry><TimeBegin>").append(begin).append("</TimeBegin><TimeTrigged>").append(begin)
                    .append("</TimeTrigged><TimeEnd>").append(SEVEN_DIGITS.format(s.end()))
                    .append("</TimeEnd></SequenceEntry>");
        }
        return sb.append("</").append(wrapper).append(">").toString();
    }

    static Instant time(Element op, String name) {
        String v = SoapMessages.text(op, name);
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("bad " + name + ": " + v);
        }
    }

    static int integer(Element op, String name) {
        try {
            return Integer.parseInt(SoapMessages.text(op, name));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("bad " + name);
        }
    }
}
