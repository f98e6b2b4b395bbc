package org.livernode.dicom.vocabulary;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteAeTest {

    @Test
    void parsesAetHostPort() {
        assertEquals(new RemoteAe("PACS", "pacs.example.org", 104), RemoteAe.parse("PACS@pacs.example.org:104"));
        assertEquals(new RemoteAe("MY AE", "10.0.0.7", 11112), RemoteAe.parse(" MY AE@10.0.0.7:11112 "));
        RemoteAe v6 = RemoteAe.parse("ARCHIVE@[::1]:4242");
        assertEquals("::1", v6.host());
        assertEquals("ARCHIVE@[::1]:4242", v6.toString());
        assertEquals("PACS@pacs:104", RemoteAe.parse("PACS@pacs:104").toString());
    }

    @Test
    void aTlsDestinationIsMarkedWithTheSuffix() {
        RemoteAe tls = RemoteAe.parse("PACS@pacs.example.org:2762;tls");
        assertEquals(new RemoteAe("PACS", "pacs.example.org", 2762, true), tls);
        assertEquals("PACS@pacs.example.org:2762;tls", tls.toString());
        assertTrue(RemoteAe.parse("ARCHIVE@[::1]:4242 ;TLS").tls());
        assertEquals(false, RemoteAe.parse("PACS@pacs:104").tls());
        assertMessage("PACS@pacs:104;ssl", "the only option after the port is ';tls'", "';ssl'");
    }

    @Test
    void rejectsWithAMessageNamingThePart() {
        assertMessage("pacs:104", "expected AET@host:port", "no '@'");
        assertMessage("PACS@pacs", "no ':port'");
        assertMessage("PACS@pacs:http", "port must be a number", "'http'");
        assertMessage("PACS@pacs:70000", "port", "1..65535", "70000");
        assertMessage("@pacs:104", "AE title", "found ''");
        assertMessage("ANAETITLELONGERTHAN16@pacs:104", "AE title", "1 to 16");
        assertMessage("PACS@:104", "host", "found ''");
        assertMessage("", "expected AET@host:port");
    }

    private static void assertMessage(String text, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RemoteAe.parse(text));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should contain '" + f + "'");
        }
    }
}
