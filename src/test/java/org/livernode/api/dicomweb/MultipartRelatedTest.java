package org.livernode.api.dicomweb;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The streaming multipart/related reader on bodies whose parts hold near-copies of the delimiter. */
class MultipartRelatedTest {
    private static List<String> read(String body, String boundary, List<Map<String, String>> headers) throws Exception {
        MultipartRelated.Reader r = new MultipartRelated.Reader(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1)), boundary);
        List<String> parts = new ArrayList<>();
        for (Map<String, String> h = r.nextPart(); h != null; h = r.nextPart()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            r.copyBody(out);
            headers.add(h);
            parts.add(out.toString(StandardCharsets.ISO_8859_1));
        }
        return parts;
    }

    @Test
    void partsKeepBytesThatOnlyResembleTheDelimiter() throws Exception {
        String tricky = "a\r\n--bounda\r\n\r\n--boundar--boundary\r\r\n-\r\n--b";
        String body = "preamble\r\n--boundary  \r\nContent-Type: application/dicom\r\nX-Other: 1\r\n\r\n" + tricky
                + "\r\n--boundary\r\nContent-Type: application/dicom\r\n\r\n\r\n--boundary--\r\nepilogue";
        List<Map<String, String>> headers = new ArrayList<>();
        List<String> parts = read(body, "boundary", headers);
        assertEquals(List.of(tricky, ""), parts);
        assertEquals("application/dicom", headers.get(0).get("content-type"));
        assertEquals("1", headers.get(0).get("x-other"));
    }

    @Test
    void aBodyCutShortEndsWithoutAClosedPart() throws Exception {
        MultipartRelated.Reader r = new MultipartRelated.Reader(new ByteArrayInputStream(
                "--b\r\nContent-Type: application/dicom\r\n\r\nhalf a file".getBytes(StandardCharsets.US_ASCII)), "b");
        r.nextPart();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertFalse(r.copyBody(out));
        assertEquals("half a file", out.toString(StandardCharsets.US_ASCII));
        assertNull(r.nextPart());
    }

    @Test
    void acceptRangesAreOrderedByQualityWithQuotedParameters() {
        List<MediaRange> ranges = MediaRange.accept(
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*; q=0.5, "
                        + "multipart/related; type=\"image/jp2\";q=0.9");
        assertEquals("image/jp2", ranges.get(0).parameter("type"));
        assertEquals("*", ranges.get(1).parameter("transfer-syntax"));
        assertEquals("application/octet-stream", ranges.get(1).parameter("type"));
    }

    @Test
    void aHeaderLineOrHeaderCountBeyondTheBoundsIsMalformedNotHeld() {
        String longLine = "--b\r\nX-Junk: " + "a".repeat(MultipartRelated.MAX_HEADER_LINE) + "\r\n\r\nbody\r\n--b--\r\n";
        MultipartRelated.MalformedException e = org.junit.jupiter.api.Assertions.assertThrows(
                MultipartRelated.MalformedException.class, () -> read(longLine, "b", new ArrayList<>()));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("longer than 8192 bytes"), e.getMessage());
        String manyHeaders = "--b\r\n" + "X-A: 1\r\n".repeat(MultipartRelated.MAX_HEADERS + 1) + "\r\nbody\r\n--b--\r\n";
        e = org.junit.jupiter.api.Assertions.assertThrows(MultipartRelated.MalformedException.class,
                () -> read(manyHeaders, "b", new ArrayList<>()));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("more than 64 header lines"), e.getMessage());
        String atTheLimit = "--b\r\nX-Junk: " + "a".repeat(MultipartRelated.MAX_HEADER_LINE - 9) + "\r\n\r\nbody\r\n--b--\r\n";
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> read(atTheLimit, "b", new ArrayList<>()));
    }
}
