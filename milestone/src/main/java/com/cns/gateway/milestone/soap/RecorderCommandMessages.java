package com.cns.gateway.milestone.soap;

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
