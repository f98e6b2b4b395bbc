package org.livernode.dicom;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * A connected socket whose first bytes were already read (to look at the A-ASSOCIATE-RQ before PixelMed
 * does): its input stream gives those bytes again, then the rest. It also tells when PixelMed sends
 * A-RELEASE-RP: PixelMed then lingers 5 s before closing, and that time must not hold an association slot.
 * Every other call goes to the real socket.
 */
final class PeekedSocket extends Socket {
    private static final int A_RELEASE_RP = 0x06;
    private static final int RELEASE_PDU_LENGTH = 10;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** @param in the socket's input, with the bytes already read put back in front */
    PeekedSocket(Socket socket, InputStream in, Runnable onReleaseResponse) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = new FilterOutputStream(socket.getOutputStream()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                super.out.write(b, off, len);
                if (len == RELEASE_PDU_LENGTH && (b[off] & 0xff) == A_RELEASE_RP) {
                    onReleaseResponse.run();
                }
            }
        };
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public synchronized void close() throws IOException {
        socket.close();
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public InetAddress getInetAddress() {
        return socket.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getPort() {
        return socket.getPort();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public synchronized int getReceiveBufferSize() throws SocketException {
        return socket.getReceiveBufferSize();
    }

    @Override
    public synchronized void setReceiveBufferSize(int size) throws SocketException {
        socket.setReceiveBufferSize(size);
    }

    @Override
    public synchronized int getSendBufferSize() throws SocketException {
        return socket.getSendBufferSize();
    }

    @Override
    public synchronized void setSendBufferSize(int size) throws SocketException {
        socket.setSendBufferSize(size);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return socket.getSoLinger();
    }

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        return socket.getSoTimeout();
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        socket.setSoTimeout(timeout);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return socket.getTcpNoDelay();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        socket.setTcpNoDelay(on);
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
