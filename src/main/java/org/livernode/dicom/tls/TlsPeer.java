package org.livernode.dicom.tls;

/**
 * Who is at the other end of a TLS connection, as its handshake said: the protocol and cipher suite, and the
 * subject of the peer's certificate (null when it sent none).
 */
public record TlsPeer(String protocol, String cipherSuite, String subject) {
    /** e.g. {@code TLSv1.3 CN=modality-1,O=Hospital}, for log lines and the audit trail. */
    public String describe() {
        return protocol + " " + (subject == null ? "(no client certificate)" : subject);
    }
}
