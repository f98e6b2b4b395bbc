package org.livernode.dicom.tls;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.vocabulary.RemoteAe;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * DICOM over TLS ({@link TlsProfile}) with the node's certificate: the TLS port's server socket, the handshake of
 * each caller (with its certificate checked against the trust store when client authentication is on), and TLS to
 * destinations marked {@code ;tls} (their certificate must chain to the trust store, or the JDK's CAs without one,
 * and name the host as the destination setting writes it). Settings are read once, by {@link #check()}.
 */
@ApplicationScoped
public class DicomTls implements TlsConnector {
    @Inject
    LivernodeConfig config;

    private TlsCredentials credentials;
    private SSLContext server;
    private SSLContext client;

    /**
     * Reads and checks {@code livernode.dicom.tls.*} (the DICOM node calls this when it starts); a wrong setting is
     * an IllegalStateException naming it. True when the TLS port is to open.
     */
    public synchronized boolean check() {
        if (credentials == null) {
            try {
                TlsCredentials c = TlsCredentials.load(config.dicom().tls());
                client = context(c.keys(), c.keyPassword(), c.trust());
                server = c.serves() ? context(c.keys(), c.keyPassword(), c.trust()) : null;
                credentials = c;
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("DICOM TLS settings: " + e.getMessage(), e);
            }
        }
        return credentials.serves();
    }

    /** What the TLS port offers, for the start-up log line. */
    public synchronized String describe() {
        check();
        X509Certificate cert = credentials.certificate();
        return "TLS as " + (cert == null ? "?" : cert.getSubjectX500Principal().getName()) + ", "
                + (credentials.clientAuth() ? "client certificates required" : "no client certificates asked");
    }

    /** The TLS port's listening socket (call {@link #check()} first). */
    public synchronized ServerSocket openServerSocket(String bindAddress, int port) throws IOException {
        if (!check()) {
            throw new IllegalStateException("the TLS port needs livernode.dicom.tls.key-store or livernode.dicom.tls.key and certificate");
        }
        SSLServerSocket socket = (SSLServerSocket) server.getServerSocketFactory().createServerSocket();
        SSLParameters p = TlsProfile.parameters(socket.getSSLParameters());
        p.setNeedClientAuth(credentials.clientAuth());
        socket.setSSLParameters(p);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 64);
        return socket;
    }

    /**
     * Completes the handshake of an accepted connection within {@code timeoutMs} (the ARTIM time: a caller that
     * sends nothing, or plain DICOM, fails here). Throws when it fails: no certificate, an untrusted one, no
     * common protocol or suite, not TLS at all.
     */
    public static TlsPeer handshake(SSLSocket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(Math.max(1, timeoutMs));
        try {
            socket.startHandshake();
        } catch (SSLException e) {
            throw new SSLException(reason(e), e);
        }
        return peer(socket.getSession());
    }

    /** The JDK's words for a failed handshake, said as what the caller did. */
    static String reason(SSLException e) {
        String m = String.valueOf(e.getMessage());
        String why = m.contains("Unsupported or unrecognized SSL message") ? "the caller does not speak TLS (plain DICOM on the TLS port?)"
                : m.contains("Empty client certificate chain") ? "the caller sent no client certificate"
                : m.contains("PKIX path") || m.contains("certificate_unknown") ? "the caller's certificate does not chain to livernode.dicom.tls.trust-store"
                : m.contains("protocol_version") || m.contains("no appropriate protocol") || m.contains("is not enabled or supported") ? "no common TLS version (TLS 1.2 or 1.3 needed)"
                : m.contains("no cipher suites in common") || m.contains("handshake_failure") ? "no common cipher suite (" + TlsProfile.NAME + ")"
                : null;
        return why == null ? m : why + " (" + m + ")";
    }

    /** TLS over an open TCP connection to {@code to}: the node's certificate is offered, the destination's checked. */
    @Override
    public Socket secure(Socket plain, RemoteAe to, Duration handshakeTimeout) throws IOException {
        SSLContext context;
        synchronized (this) {
            check();
            context = client;
        }
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, to.host(), to.port(), true);
        SSLParameters p = TlsProfile.parameters(ssl.getSSLParameters());
        p.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 2818 name check: the certificate names the host
        ssl.setSSLParameters(p);
        ssl.setSoTimeout((int) Math.max(1, handshakeTimeout.toMillis()));
        try {
            ssl.startHandshake();
        } catch (IOException e) {
            ssl.close();
            throw e;
        }
        ssl.setSoTimeout(0);
        return ssl;
    }

    private static TlsPeer peer(SSLSession session) {
        String subject;
        try {
            subject = ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            subject = null;
        }
        return new TlsPeer(session.getProtocol(), session.getCipherSuite(), subject);
    }

    private static SSLContext context(KeyStore keys, char[] password, KeyStore trust) throws GeneralSecurityException {
        KeyManager[] keyManagers = null;
        if (keys != null) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            keyManagers = kmf.getKeyManagers();
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust); // null: the JDK's CAs
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, tmf.getTrustManagers(), null);
        return context;
    }
}
