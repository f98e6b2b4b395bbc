package org.livernode.dicom;

import org.livernode.dicom.tls.TlsConnector;
import org.livernode.dicom.vocabulary.RemoteAe;

import javax.net.ssl.SSLException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Timeouts for one outgoing association. PixelMed's initiator opens its own socket, with neither a connect nor
 * a read timeout, so a destination that accepts TCP and never answers would hold the sender forever. Here the
 * node connects itself (with a connect timeout), and PixelMed talks to it through a loopback relay that closes
 * both sides once no byte has moved either way for the response timeout (no A-ASSOCIATE-AC, no C-STORE-RSP).
 */
final class SendTimeouts implements AutoCloseable {
    private final Socket remote;
    private final ServerSocket local;
    private final Duration response;
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    private volatile Socket inner;
    private volatile boolean timedOut;
    private volatile boolean closed;

    private SendTimeouts(Socket remote, ServerSocket local, Duration response) {
        this.remote = remote;
        this.local = local;
        this.response = response;
    }

    /** Connects to {@code to}; a destination marked {@code ;tls} gets TLS over it from {@code tls}, within the connect timeout. */
    static SendTimeouts open(RemoteAe to, Duration connect, Duration response, TlsConnector tls) throws IOException {
        Socket remote = connect(to, connect);
        if (to.tls()) {
            if (tls == null) {
                remote.close();
                throw new SSLException(to + " is marked ;tls, but this sender has no TLS");
            }
            try {
                remote = tls.secure(remote, to, connect);
            } catch (IOException e) {
                remote.close();
                throw e instanceof SSLException ? e : new SSLException(e.getMessage(), e);
            }
        }
        ServerSocket local = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        SendTimeouts relay = new SendTimeouts(remote, local, response);
        Thread acceptor = new Thread(relay::relay, "dicom-send-relay");
        acceptor.setDaemon(true);
        acceptor.start();
        return relay;
    }

    /** The TCP connection to the destination, bounded by the connect timeout. */
    private static Socket connect(RemoteAe to, Duration timeout) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(to.host(), to.port()), (int) Math.max(1, timeout.toMillis()));
        return socket;
    }

    /** Where PixelMed connects instead of the destination. */
    int localPort() {
        return local.getLocalPort();
    }

    /** True when the relay was cut because the destination stopped answering. */
    boolean timedOut() {
        return timedOut;
    }

    private void relay() {
        try {
            local.setSoTimeout((int) Math.max(1000, response.toMillis()));
            inner = local.accept();
            Thread up = pump(inner, remote, "dicom-send-up");
            Thread down = pump(remote, inner, "dicom-send-down");
            long limit = response.toNanos();
            while (!closed && (up.isAlive() || down.isAlive())) {
                if (System.nanoTime() - lastActivity.get() > limit) {
                    timedOut = true;
                    close();
                    return;
                }
                Thread.sleep(Math.max(10, Math.min(200, response.toMillis() / 10)));
            }
        } catch (IOException | InterruptedException e) {
            close();
        }
    }

    private Thread pump(Socket from, Socket to, String name) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    lastActivity.set(System.nanoTime());
                    out.write(buffer, 0, n);
                    out.flush();
                    lastActivity.set(System.nanoTime());
                }
                to.shutdownOutput();
            } catch (IOException e) {
                close();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() {
        closed = true;
        for (AutoCloseable c : new AutoCloseable[]{inner, remote, local}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
