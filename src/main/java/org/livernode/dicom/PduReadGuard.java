package org.livernode.dicom;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * Sits between the socket and PixelMed (which allocates a whole PDU from its length field) and checks each PDU
 * header (PS3.8 9.3.1: type, reserved, 4-byte length) before its body passes: a type PS3.8 does not define or a
 * length above the limit for its type ends the connection with an A-ABORT and {@link AbsurdPduException} before
 * anything is allocated. It also keeps time: between PDUs the peer may wait at most the idle timeout, and one PDU must
 * arrive whole within the PDU timeout, however slowly its bytes trickle in (a slow-loris peer).
 */
final class PduReadGuard extends FilterInputStream {
    private static final int HEADER = 6;

    /** A PDU header the node refuses to read further; the connection gets an A-ABORT. */
    static final class AbsurdPduException extends IOException {
        AbsurdPduException(String message) {
            super(message);
        }
    }

    /** Limits for one connection; lengths in bytes, times in milliseconds. */
    record Limits(long maxAssociateRequest, long maxPData, int idleMs, int pduMs) {
        /** Non-P-DATA PDUs other than A-ASSOCIATE-RQ/AC are a few bytes; 64 KiB is already generous. */
        static final long MAX_OTHER = 64 * 1024;
    }

    private final Socket socket;
    private final Limits limits;
    private final byte[] header = new byte[HEADER];
    private int headerFill;
    private int headerServed = HEADER;
    private long bodyLeft;
    private long pduDeadline;
    private int waitMs;
    private int pdus;
    private AbsurdPduException refusal;

    private final Runnable onReleaseRequest;

    /**
     * @param onReleaseRequest run when an A-RELEASE-RQ header arrives: the sender is done at that moment, while
     *                         PixelMed reports the release only once the connection is closed (seconds later)
     */
    PduReadGuard(Socket socket, Limits limits, int firstPduWaitMs, Runnable onReleaseRequest) throws IOException {
        super(socket.getInputStream());
        this.socket = socket;
        this.limits = limits;
        this.waitMs = firstPduWaitMs;
        this.onReleaseRequest = onReleaseRequest;
    }

    /** The header that ended the connection, if one did (PixelMed may wrap the exception without its cause). */
    AbsurdPduException refusal() {
        return refusal;
    }

    /** PDUs whose header was read so far. */
    int pdus() {
        return pdus;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (headerServed < HEADER) {
            int n = Math.min(len, HEADER - headerServed);
            System.arraycopy(header, headerServed, b, off, n);
            headerServed += n;
            return n;
        }
        if (bodyLeft == 0) {
            if (!readHeader()) {
                return -1;
            }
            return read(b, off, len);
        }
        int n = timedRead(b, off, (int) Math.min(len, bodyLeft));
        if (n > 0) {
            bodyLeft -= n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(8192, Math.max(0, n))];
        int read = read(sink, 0, sink.length);
        return Math.max(0, read);
    }

    @Override
    public int available() throws IOException {
        return headerServed < HEADER ? HEADER - headerServed : (int) Math.min(super.available(), bodyLeft);
    }

    private boolean readHeader() throws IOException {
        headerFill = 0;
        // The wait for a PDU to begin is the idle timeout (ARTIM for the first one); then the PDU timeout runs.
        setTimeout(waitMs);
        int first;
        try {
            first = in.read(header, 0, HEADER);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no PDU within " + waitMs + " ms (" + (pdus == 0
                    ? "ARTIM, livernode.dicom.artim-timeout" : "livernode.dicom.idle-timeout") + ")");
        }
        if (first < 0) {
            return false;
        }
        pduDeadline = System.nanoTime() + limits.pduMs() * 1_000_000L;
        headerFill = first;
        while (headerFill < HEADER) {
            int n = timedRead(header, headerFill, HEADER - headerFill);
            if (n < 0) {
                throw new IOException("connection closed inside a PDU header");
            }
            headerFill += n;
        }
        int type = header[0] & 0xff;
        long length = ((header[2] & 0xffL) << 24) | ((header[3] & 0xffL) << 16) | ((header[4] & 0xffL) << 8) | (header[5] & 0xffL);
        long max = switch (type) {
            case 0x01, 0x02 -> limits.maxAssociateRequest();
            case 0x04 -> limits.maxPData();
            case 0x03, 0x05, 0x06, 0x07 -> Limits.MAX_OTHER;
            default -> throw refuse(String.format("PDU type 0x%02x is not a DICOM PDU (PS3.8 9.3)", type));
        };
        if (length > max) {
            throw refuse(String.format("PDU type 0x%02x declares %d bytes, more than the %d accepted", type, length, max));
        }
        pdus++;
        if (type == 0x05) {
            onReleaseRequest.run();
        }
        waitMs = limits.idleMs();
        bodyLeft = length;
        headerServed = 0;
        return true;
    }

    /** The A-ABORT goes out here, before PixelMed sees the exception (it closes the socket on its way out). */
    private AbsurdPduException refuse(String why) {
        refusal = new AbsurdPduException(why);
        try {
            AssociationRequestPeek.abort(socket);
        } catch (IOException e) {
            refusal.addSuppressed(e);
        }
        return refusal;
    }

    private int timedRead(byte[] b, int off, int len) throws IOException {
        long leftMs = (pduDeadline - System.nanoTime()) / 1_000_000L;
        if (leftMs <= 0) {
            throw new SocketTimeoutException("a PDU did not arrive whole within " + limits.pduMs() + " ms (livernode.dicom.pdu-timeout)");
        }
        setTimeout((int) Math.min(Integer.MAX_VALUE, leftMs));
        try {
            return in.read(b, off, len);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("a PDU did not arrive whole within " + limits.pduMs() + " ms (livernode.dicom.pdu-timeout)");
        }
    }

    private void setTimeout(int ms) throws SocketException {
        socket.setSoTimeout(Math.max(1, ms));
    }
}
