package org.livernode.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fixed head of an A-ASSOCIATE-RQ PDU (PS3.8 9.3.2): PDU type, length, protocol version, called
 * and calling AE titles, so the node can refuse a caller before the association is negotiated.
 */
record AssociationRequestPeek(byte[] bytes, boolean isAssociateRequest, String calledAeTitle, String callingAeTitle) {
    private static final int HEAD = 6 + 4 + 16 + 16;

    static AssociationRequestPeek read(InputStream in) throws IOException {
        byte[] head = in.readNBytes(HEAD);
        boolean request = head.length == HEAD && (head[0] & 0xff) == 0x01;
        if (!request) {
            return new AssociationRequestPeek(head, false, null, null);
        }
        String called = new String(head, 10, 16, StandardCharsets.US_ASCII).trim();
        String calling = new String(head, 26, 16, StandardCharsets.US_ASCII).trim();
        return new AssociationRequestPeek(head, true, called, calling);
    }

    /**
     * Sends A-ASSOCIATE-RJ (PS3.8 9.3.4).
     *
     * @param result 1 rejected-permanent, 2 rejected-transient
     * @param source 1 service-user, 3 service-provider (presentation)
     * @param reason for source 1: 3 calling AE title not recognized, 7 called AE title not recognized;
     *               for source 3: 2 local limit exceeded
     */
    static void reject(Socket socket, int result, int source, int reason) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(new byte[]{0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, (byte) result, (byte) source, (byte) reason});
        out.flush();
    }

    /** Sends A-ABORT (PS3.8 9.3.8) from the service provider, reason 6: invalid PDU parameter value. */
    static void abort(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(new byte[]{0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x02, 0x06});
        out.flush();
    }
}
