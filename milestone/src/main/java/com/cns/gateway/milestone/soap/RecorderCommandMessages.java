package com.cns.gateway.milestone.soap;

import com.cns.gateway.milestone.XpSequence;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * RecorderCommandMessages writes requests to a recording server's RecorderCommandService (ASMX,
 * SOAP 1.1, document/literal; {@code recordercommand.wsdl} of a 2025 R1 recorder) and reads its
 * answers. Device lists are {@code ArrayOfGuid}: {@code <guid>} children in the service namespace.
 */
public final class RecorderCommandMessages {
    public static final String PATH = "RecorderCommandService/RecorderCommandService.asmx";
    public static final String NS = "http://videoos.net/2/XProtectCSRecorderCommand";
    /** The sequence type of recorded video (RecordingSequence), as a real recorder lists it. */
    public static final String RECORDING_SEQUENCE = "f9c62604-d0c5-4050-ae25-72de51639b14";

    /** One device's answer to Start/StopManualRecording: ResultCode 0 is success. */
    public record ManualRecordingResult(String deviceId, int resultCode, String message) {
        public boolean succeeded() {
            return resultCode == 0;
        }
    }

    /** One device's answer to IsManualRecording. */
    public record ManualRecordingInfo(String deviceId, boolean isManualRecording) {
    }

    private RecorderCommandMessages() {
    }

    public static String action(String method) {
        return NS + "/" + method;
    }

    /** StartManualRecording, StopManualRecording or IsManualRecording for {@code deviceIds}. */
    public static String deviceListRequest(String method, String token, List<String> deviceIds) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope "
                + "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><")
                .append(method).append(" xmlns=\"").append(NS).append("\"><token>").append(SoapXml.escape(token))
                .append("</token><deviceIds>");
        for (String id : deviceIds) {
            sb.append("<guid>").append(SoapXml.escape(id)).append("</guid>");
        }
        return sb.append("</deviceIds></").append(method).append("></soap:Body></soap:Envelope>").toString();
    }

    /** {@code SequencesGet}: sequences of {@code type} beginning in [min, max], at most {@code maxCount}. */
    public static String sequencesGet(String token, String deviceId, String type, Instant min, Instant max,
                                      int maxCount) {
        return call("SequencesGet", token, "<deviceId>" + SoapXml.escape(deviceId) + "</deviceId><sequenceType>" + type
                + "</sequenceType><minTime>" + time(min) + "</minTime><maxTime>" + time(max) + "</maxTime><maxCount>"
                + maxCount + "</maxCount>");
    }

    /** {@code SequencesGetAround}: up to {@code before} sequences beginning before {@code center}, {@code after} from it. */
    public static String sequencesGetAround(String token, String deviceId, String type, Instant center, int before,
                                            int after) {
        return call("SequencesGetAround", token, "<deviceId>" + SoapXml.escape(deviceId) + "</deviceId><sequenceType>"
                + type + "</sequenceType><centerTime>" + time(center) + "</centerTime><maxCountBefore>" + before
                + "</maxCountBefore><maxCountAfter>" + after + "</maxCountAfter>");
    }

    /** {@code JPEGGetAt}, {@code JPEGGetAtOrBefore} or {@code JPEGGetAtOrAfter} for {@code time}. */
    public static String jpegGet(String method, String token, String deviceId, Instant time) {
        return call(method, token, "<deviceId>" + SoapXml.escape(deviceId) + "</deviceId><time>" + time(time)
                + "</time>");
    }

    /** A JPEG picture and the recording time of its frame. */
    public record JpegData(Instant time, byte[] data) {
    }

    /** {@code JPEGData{Time, Data}}; empty when there is no picture (Time is the minimum dateTime, no Data). */
    public static java.util.Optional<JpegData> parseJpeg(String xml) {
        Document doc = SoapXml.parse(xml);
        SoapXml.throwIfFault(doc);
        String data = SoapXml.text(doc.getDocumentElement(), "Data");
        if (data == null || data.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new JpegData(instant(SoapXml.text(doc.getDocumentElement(), "Time")),
                java.util.Base64.getMimeDecoder().decode(data)));
    }

    public static String retentionTimeLimit(String token, String deviceId) {
        return call("GetRetentionTimeLimit", token, "<deviceId>" + SoapXml.escape(deviceId) + "</deviceId>");
    }

    private static String call(String method, String token, String params) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope "
                + "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><" + method + " xmlns=\"" + NS
                + "\"><token>" + SoapXml.escape(token) + "</token>" + params + "</" + method + "></soap:Body></soap:Envelope>";
    }

    /** xs:dateTime in UTC with millisecond precision. */
    static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    /** {@code SequenceEntry} elements (TimeBegin, TimeTrigged, TimeEnd; 7 fractional digits) in answer order. */
    public static List<XpSequence> parseSequences(String xml) {
        Document doc = SoapXml.parse(xml);
        SoapXml.throwIfFault(doc);
        List<XpSequence> out = new ArrayList<>();
        NodeList items = doc.getElementsByTagNameNS("*", "SequenceEntry");
        for (int i = 0; i < items.getLength(); i++) {
            Element e = (Element) items.item(i);
            Instant begin = instant(SoapXml.text(e, "TimeBegin"));
            String trig = SoapXml.text(e, "TimeTrigged");
            out.add(new XpSequence(begin, trig == null ? begin : instant(trig), instant(SoapXml.text(e, "TimeEnd"))));
        }
        return out;
    }

    public static Instant parseRetentionLimit(String xml) {
        Document doc = SoapXml.parse(xml);
        SoapXml.throwIfFault(doc);
        return instant(SoapXml.text(doc.getDocumentElement(), "GetRetentionTimeLimitResult"));
    }

    private static Instant instant(String s) {
        if (s == null) {
            throw new SoapFaultException("sequence answer without a time", null, -1, -1);
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // xs:dateTime may come without an offset; XProtect's are UTC.
            return java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC);
        }
    }

    public static List<ManualRecordingResult> parseResults(String xml) {
        Document doc = SoapXml.parse(xml);
        SoapXml.throwIfFault(doc);
        List<ManualRecordingResult> out = new ArrayList<>();
        NodeList items = doc.getElementsByTagNameNS("*", "ManualRecordingResult");
        for (int i = 0; i < items.getLength(); i++) {
            Element e = (Element) items.item(i);
            String code = SoapXml.text(e, "ResultCode");
            out.add(new ManualRecordingResult(SoapXml.text(e, "DeviceId"), code == null ? -1 : Integer.parseInt(code),
                    SoapXml.text(e, "Message")));
        }
        return out;
    }

    public static List<ManualRecordingInfo> parseInfos(String xml) {
        Document doc = SoapXml.parse(xml);
        SoapXml.throwIfFault(doc);
        List<ManualRecordingInfo> out = new ArrayList<>();
        NodeList items = doc.getElementsByTagNameNS("*", "ManualRecordingInfo");
        for (int i = 0; i < items.getLength(); i++) {
            Element e = (Element) items.item(i);
            out.add(new ManualRecordingInfo(SoapXml.text(e, "DeviceId"),
                    "true".equalsIgnoreCase(SoapXml.text(e, "IsManualRecording"))));
        }
        return out;
    }
}
