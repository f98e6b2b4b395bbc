package org.livernode.dicom.tls;

import javax.net.ssl.SSLParameters;
import java.util.List;

/**
 * The one home of what the node's TLS connections allow, in and out: the Non-Downgrading BCP 195 TLS Secure
 * Transport Connection Profile of DICOM PS3.15 B.10 (the default profile of dcmtk's +tls tools, +py). TLS 1.2 with
 * exactly the profile's four cipher suites (ephemeral ECDH or DH key exchange, RSA certificates, AES-GCM) and TLS 1.3
 * with its AES-GCM suites; never TLS 1.0/1.1 or SSL, and no fallback to them (non-downgrading).
 */
public final class TlsProfile {
    public static final String NAME = "Non-Downgrading BCP 195 TLS Secure Transport Connection Profile (DICOM PS3.15 B.10)";
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final List<String> CIPHER_SUITES = List.of(
            // TLS 1.3
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
            // TLS 1.2: PS3.15 B.10's required suites
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");

    private TlsProfile() {
    }

    /** The profile's protocols and suites; the node's order of suites wins when it is the server. */
    static SSLParameters parameters(SSLParameters defaults) {
        SSLParameters p = defaults;
        p.setProtocols(PROTOCOLS.toArray(String[]::new));
        p.setCipherSuites(CIPHER_SUITES.toArray(String[]::new));
        p.setUseCipherSuitesOrder(true);
        return p;
    }
}
