package com.cns.xprotect.simulator;

import java.io.ByteArrayInputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * SoapMessages parses SOAP 1.1 request bodies by local name (clients disagree on prefixes and
 * namespaces of children) and writes answers and faults in the shapes captured from XProtect.
 */
final class SoapMessages {
    static final String ENVELOPE_OPEN = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
            + "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>";
    static final String ENVELOPE_CLOSE = "</soap:Body></soap:Envelope>";

    private SoapMessages() {
    }

    /** One builder per thread: making a factory costs far more than parsing a request. */
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(() -> {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    });

    /** The first element inside {@code Body}, or null when the body is not a SOAP envelope. */
    static Element operation(byte[] body) {
        DocumentBuilder b = BUILDER.get();
        try {
            Document doc = b.parse(new ByteArrayInputStream(body));
            NodeList bodies = doc.getElementsByTagNameNS("*", "Body");
            if (bodies.getLength() == 0) {
                return null;
            }
            for (Node n = bodies.item(0).getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    return e;
                }
            }
            return null;
        } catch (Exception e) {
            return null;
        } finally {
            b.reset();
        }
    }

    /** The document element of an XML message (ImageServer method calls), or null if unparsable. */
    static Element root(byte[] xml) {
        DocumentBuilder b = BUILDER.get();
        try {
            return b.parse(new ByteArrayInputStream(xml)).getDocumentElement();
        } catch (Exception e) {
            return null;
        } finally {
            b.reset();
        }
    }

    /** Text of the first descendant with this local name, or null. */
    static String text(Element parent, String localName) {
        NodeList l = parent.getElementsByTagNameNS("*", localName);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().trim();
    }

    static String fault(String code, String text, int errorNumber, int subErrorNumber) {
        return ENVELOPE_OPEN + "<soap:Fault><faultcode>soap:" + code + "</faultcode><faultstring>" + text
                + "</faultstring><detail><ErrorNumber>" + errorNumber + "</ErrorNumber><SubErrorNumber>"
                + subErrorNumber + "</SubErrorNumber></detail></soap:Fault>" + ENVELOPE_CLOSE;
    }
}
