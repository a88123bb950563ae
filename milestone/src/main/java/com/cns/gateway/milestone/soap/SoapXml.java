package com.cns.gateway.milestone.soap;

import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.xml.sax.InputSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * SoapXml reads SOAP 1.1 answers from XProtect by local name (WCF and ASMX use different prefixes)
 * and escapes values written into requests. External entities and DOCTYPEs are refused.
 */
public final class SoapXml {
    private SoapXml() {
    }

    /**
     * One secure, namespace-aware builder per thread: creating a factory looks services up on the
     * classpath and costs far more than parsing a SOAP answer.
     */
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

    public static Document parse(String xml) {
        DocumentBuilder b = BUILDER.get();
        try {
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new SoapFaultException("unparsable SOAP answer: " + e.getMessage(), null, -1, -1);
        } finally {
            b.reset();
        }
    }

    /** Text of the first element with this local name anywhere under {@code root}, or null. */
    public static String text(Element root, String localName) {
        NodeList l = root.getElementsByTagNameNS("*", localName);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().trim();
    }

    /**
     * Throws the {@code soap:Fault} of an answer, if it holds one, with XProtect's
     * {@code ErrorNumber}/{@code SubErrorNumber} (20001/1 no token, 20001/2 token invalid).
     */
    public static void throwIfFault(Document doc) {
        NodeList faults = doc.getElementsByTagNameNS("*", "Fault");
        if (faults.getLength() == 0) {
            return;
        }
        Element f = (Element) faults.item(0);
        throw new SoapFaultException(text(f, "faultstring"), text(f, "faultcode"),
                number(text(f, "ErrorNumber")), number(text(f, "SubErrorNumber")));
    }

    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static int number(String s) {
        try {
            return s == null ? -1 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
