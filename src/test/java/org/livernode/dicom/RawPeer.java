package org.livernode.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Test-only: a peer that writes PDUs byte by byte as a hostile or broken caller would (PS3.8 9.3). */
final class RawPeer {
    private static final String VERIFICATION = "1.2.840.10008.1.1";
    private static final String IMPLICIT_VR_LE = "1.2.840.10008.1.2";
    private static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    private RawPeer() {
    }

    /** A minimal valid A-ASSOCIATE-RQ proposing Verification in Implicit VR Little Endian. */
    static byte[] associateRequest(String called, String calling) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        item(variable, 0x10, ascii(APPLICATION_CONTEXT));
        ByteArrayOutputStream pc = new ByteArrayOutputStream();
        pc.write(1);
        pc.write(0);
        pc.write(0);
        pc.write(0);
        item(pc, 0x30, ascii(VERIFICATION));
        item(pc, 0x40, ascii(IMPLICIT_VR_LE));
        item(variable, 0x20, pc.toByteArray());
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        item(user, 0x51, new byte[]{0, 0, 0x40, 0});
        item(variable, 0x50, user.toByteArray());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(1); // protocol version 1
        body.write(0);
        body.write(0);
        body.writeBytes(aeTitle(called));
        body.writeBytes(aeTitle(calling));
        body.writeBytes(new byte[32]);
        body.writeBytes(variable.toByteArray());
        return pdu(0x01, body.toByteArray());
    }

    /** A PDU header of any type declaring {@code length} bytes, without the body. */
    static byte[] header(int type, long length) {
        return new byte[]{(byte) type, 0, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    /** Reads until the node closes the connection or {@code timeoutMs} pass; the bytes the node sent. */
    static byte[] readUntilClosed(Socket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                got.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the node kept the connection open for " + timeoutMs + " ms", e);
        } catch (IOException reset) {
            // closed by the node with a reset: also closed
        }
        return got.toByteArray();
    }

    private static byte[] pdu(int type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(type, body.length));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void item(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type);
        out.write(0);
        out.write(value.length >>> 8);
        out.write(value.length);
        out.writeBytes(value);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] aeTitle(String ae) {
        return String.format("%-16s", ae).getBytes(StandardCharsets.US_ASCII);
    }
}
