package com.cns.xprotect.simulator;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * RecorderCommandService is a recording server's ASMX SOAP service
 * ({@code /RecorderCommandService/RecorderCommandService.asmx}): manual recording start, stop and
 * state, with the VMS token in the body and the real faults for a missing (20001/1) or invalid
 * (20001/2) token. Device lists are accepted as {@code <guid>} in the service namespace,
 * {@code <a:guid>} in {@code http://microsoft.com/wsdl/types/}, or {@code <deviceId>}. The
 * recording-query methods are answered by {@link SequenceQueries}, the JPEG ones by {@link JpegQueries}.
 */
final class RecorderCommandService {
    static final String NS = "http://videoos.net/2/XProtectCSRecorderCommand";
    private final SimulatedSite site;
    private final SimulatedSite.Recorder recorder;
    private final TokenRegistry tokens;
    private final ManualRecordings manual;
    private final SequenceQueries queries;
    private final JpegQueries jpegs;

    RecorderCommandService(SimulatedSite site, SimulatedSite.Recorder recorder, TokenRegistry tokens,
                           ManualRecordings manual, SequenceQueries queries, JpegQueries jpegs) {
        this.site = site;
        this.recorder = recorder;
        this.tokens = tokens;
        this.manual = manual;
        this.queries = queries;
        this.jpegs = jpegs;
    }

    void mount(Router router) {
        router.post("/RecorderCommandService/RecorderCommandService.asmx").handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Element op = SoapMessages.operation(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        if (op == null) {
            send(ctx, 500, SoapMessages.fault("Client", "Server did not recognize the value of HTTP Header SOAPAction",
                    40000, 0));
            return;
        }
        String token = SoapMessages.text(op, "token");
        if (token == null || token.isEmpty()) {
            send(ctx, 500, SoapMessages.fault("Client", "No token supplied", 20001, 1));
            return;
        }
        if (!tokens.validVmsToken(token)) {
            send(ctx, 500, SoapMessages.fault("Client", "Token invalid", 20001, 2));
            return;
        }
        List<String> ids = deviceIds(op);
        switch (op.getLocalName()) {
            case "StartManualRecording" -> results(ctx, "StartManualRecording", ids, true);
            case "StopManualRecording" -> results(ctx, "StopManualRecording", ids, false);
            case "IsManualRecording" -> {
                StringBuilder sb = new StringBuilder();
                for (String id : ids) {
                    boolean on = owns(id) && manual.isRecording(id);
                    sb.append("<ManualRecordingInfo><DeviceId>").append(id).append("</DeviceId><IsManualRecording>")
                            .append(on).append("</IsManualRecording></ManualRecordingInfo>");
                }
                send(ctx, 200, SoapMessages.ENVELOPE_OPEN + "<IsManualRecordingResponse xmlns=\"" + NS
                        + "\"><IsManualRecordingResult>" + sb + "</IsManualRecordingResult></IsManualRecordingResponse>"
                        + SoapMessages.ENVELOPE_CLOSE);
            }
            default -> query(ctx, op);
        }
    }

    private void query(RoutingContext ctx, Element op) {
        String device = SoapMessages.text(op, "deviceId");
        String body;
        try {
            String id = device == null ? "" : device.toLowerCase();
            body = queries.answer(op, id);
            if (body == null) {
                body = jpegs.answer(op, id);
            }
        } catch (IllegalArgumentException e) {
            send(ctx, 500, SoapMessages.fault("Client", e.getMessage(), 40000, 0));
            return;
        }
        if (body == null) {
            send(ctx, 500, SoapMessages.fault("Server", "Method '" + op.getLocalName() + "' not supported", 40000, 0));
            return;
        }
        if (device == null || !owns(device)) {
            send(ctx, 500, SoapMessages.fault("Client", "Unknown device " + device, 40000, 1));
            return;
        }
        send(ctx, 200, SoapMessages.ENVELOPE_OPEN + body + SoapMessages.ENVELOPE_CLOSE);
    }

    private void results(RoutingContext ctx, String method, List<String> ids, boolean start) {
        StringBuilder sb = new StringBuilder();
        for (String id : ids) {
            boolean known = owns(id);
            if (known) {
                if (start) {
                    manual.start(id);
                } else {
                    manual.stop(id);
                }
            }
            sb.append("<ManualRecordingResult><DeviceId>").append(id).append("</DeviceId><ResultCode>")
                    .append(known ? 0 : 1).append("</ResultCode><Message>").append(known ? "Success" : "Unknown device")
                    .append("</Message></ManualRecordingResult>");
        }
        send(ctx, 200, SoapMessages.ENVELOPE_OPEN + "<" + method + "Response xmlns=\"" + NS + "\"><" + method + "Result>"
                + sb + "</" + method + "Result></" + method + "Response>" + SoapMessages.ENVELOPE_CLOSE);
    }

    /** A recorder answers only for the cameras stored on it. */
    private boolean owns(String id) {
        SimulatedSite.Camera c = site.camera(id.toLowerCase());
        return c != null && site.recorderOf(c) == recorder;
    }

    private static List<String> deviceIds(Element op) {
        List<String> ids = new ArrayList<>();
        collect(op, ids);
        return ids;
    }

    private static void collect(Node n, List<String> ids) {
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e) {
                String name = e.getLocalName();
                if ("guid".equals(name) || ("deviceId".equals(name) && e.getParentNode() instanceof Element)) {
                    ids.add(e.getTextContent().trim().toLowerCase());
                } else {
                    collect(e, ids);
                }
            }
        }
    }

    private static void send(RoutingContext ctx, int status, String xml) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/xml; charset=utf-8").end(xml);
    }
}
