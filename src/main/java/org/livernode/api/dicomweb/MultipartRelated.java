package org.livernode.api.dicomweb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * multipart/related bodies (RFC 2387) as DICOMweb uses them: a streaming reader that copies each part's
 * body to an OutputStream without holding it in memory, and holds at most {@link #MAX_HEADER_LINE} bytes of a part's
 * headers at a time (a 1.5 GiB header line once took the node from 0.6 to 4.65 GB), and the writing side's framing.
 */
final class MultipartRelated {
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A part's header line at most this long (a DICOMweb part has two or three short headers). */
    static final int MAX_HEADER_LINE = 8192;
    /** Header lines of one part at most this many. */
    static final int MAX_HEADERS = 64;
    /** Transport padding after a boundary delimiter at most this long. */
    static final int MAX_PADDING = 1024;

    /** The body breaks a bound of the reader: refused as malformed, before anything more is read or held. */
    static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    private MultipartRelated() {
    }

    static String newBoundary() {
        return "livernode-" + UUID.randomUUID();
    }

    /** Writes the delimiter and headers that open a part. */
    static void openPart(OutputStream out, String boundary, String contentType, String location) throws IOException {
        StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Type: ").append(contentType).append("\r\n");
        if (location != null) {
            head.append("Content-Location: ").append(location).append("\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    }

    static void closePart(OutputStream out) throws IOException {
        out.write(CRLF);
    }

    static void close(OutputStream out, String boundary) throws IOException {
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads the parts of a body one after the other: {@link #nextPart()} then {@link #copyBody(OutputStream)}. */
    static final class Reader {
        private final InputStream in;
        private final byte[] delimiter;
        private final int[] border;
        private boolean finished;

        Reader(InputStream in, String boundary) throws IOException {
            this.in = in;
            this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
            this.border = borders(delimiter);
            // The first delimiter may open the body without a CRLF before it; any preamble is dropped.
            if (!scan(OutputStream.nullOutputStream(), 2)) {
                finished = true;
            }
        }

        /** The headers of the next part (names lower-cased), or null when the body is finished. */
        Map<String, String> nextPart() throws IOException {
            if (finished) {
                return null;
            }
            int a = in.read();
            int b = in.read();
            if (a == '-' && b == '-') {
                finished = true;
                return null;
            }
            int c = b;
            for (int padding = 0; c != '\n' && c != -1; padding++) { // transport padding after the delimiter
                if (padding > MAX_PADDING) {
                    throw new MalformedException("more than " + MAX_PADDING + " bytes follow a boundary delimiter "
                            + "before the line ends (transport padding is whitespace only)");
                }
                c = in.read();
            }
            if (a == -1 || c == -1) {
                finished = true;
                return null;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            int count = 0;
            for (String line = line(); line != null && !line.isEmpty(); line = line()) {
                if (++count > MAX_HEADERS) {
                    throw new MalformedException("a part has more than " + MAX_HEADERS + " header lines");
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            return headers;
        }

        /** Copies the current part's body; false when the body ended without its closing delimiter. */
        boolean copyBody(OutputStream out) throws IOException {
            boolean found = scan(out, 0);
            if (!found) {
                finished = true;
            }
            return found;
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (b.size() >= MAX_HEADER_LINE) {
                    throw new MalformedException("a part header line is longer than " + MAX_HEADER_LINE + " bytes");
                }
                b.write(c);
            }
            if (c == -1 && b.size() == 0) {
                return null;
            }
            String s = b.toString(StandardCharsets.ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        /** Copies bytes to out until the delimiter (Knuth-Morris-Pratt, so no byte is read twice). */
        private boolean scan(OutputStream out, int alreadyMatched) throws IOException {
            int j = alreadyMatched;
            int c;
            while ((c = in.read()) != -1) {
                byte b = (byte) c;
                while (j > 0 && b != delimiter[j]) {
                    int k = border[j - 1];
                    out.write(delimiter, 0, j - k);
                    j = k;
                }
                if (b == delimiter[j]) {
                    if (++j == delimiter.length) {
                        return true;
                    }
                } else {
                    out.write(b);
                }
            }
            out.write(delimiter, 0, j);
            return false;
        }

        private static int[] borders(byte[] p) {
            int[] f = new int[p.length];
            for (int i = 1, k = 0; i < p.length; i++) {
                while (k > 0 && p[i] != p[k]) {
                    k = f[k - 1];
                }
                if (p[i] == p[k]) {
                    k++;
                }
                f[i] = k;
            }
            return f;
        }
    }
}
