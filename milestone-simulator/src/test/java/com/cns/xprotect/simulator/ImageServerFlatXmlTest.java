package com.cns.xprotect.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fast reading of flat ImageServer method calls, and what it leaves to the XML parser. */
class ImageServerFlatXmlTest {
    @Test
    void aFlatMethodCallIsReadWithoutTheParser() {
        assertEquals(Map.of("requestid", "7", "methodname", "next", "keyframesonly", "yes"),
                ImageServerSession.flatFields("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<methodcall>"
                        + "<requestid>7</requestid><methodname>next</methodname>\n<keyframesonly> yes </keyframesonly>"
                        + "</methodcall>\r\n"));
        assertEquals(Map.of("methodname", "goto", "time", "1700000000000"),
                ImageServerSession.flatFields("<methodcall><MethodName>goto</MethodName><time>1700000000000</time></methodcall>"));
    }

    @Test
    void anythingElseIsLeftToTheXmlParser() {
        assertNull(ImageServerSession.flatFields("<methodcall><password>a&amp;b</password></methodcall>"), "entity");
        assertNull(ImageServerSession.flatFields("<methodcall><a x=\"1\">v</a></methodcall>"), "attribute");
        assertNull(ImageServerSession.flatFields("<methodcall><a><b>v</b></a></methodcall>"), "nested");
        assertNull(ImageServerSession.flatFields("<methodcall><a><![CDATA[v]]></a></methodcall>"), "CDATA");
        assertNull(ImageServerSession.flatFields("<methodcall><a>v</a>"), "unclosed");
        assertNull(ImageServerSession.flatFields("<methodcall><a>v</a></methodcall><x/>"), "trailing content");
        assertNull(ImageServerSession.flatFields("<!-- c --><methodcall></methodcall>"), "comment");
    }
}
