package org.livernode.dicom.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** Reads the PEM files OpenSSL writes: an unencrypted PKCS#8 private key, and one or more X.509 certificates. */
final class PemFiles {
    private static final String PKCS8 = "-----BEGIN PRIVATE KEY-----";

    private PemFiles() {
    }

    /** True when the file is PEM text rather than a binary (PKCS12) store. */
    static boolean isPem(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(4096), StandardCharsets.US_ASCII).contains("-----BEGIN ");
        }
    }

    /** The private key of {@code file}; {@code setting} names it in the messages. */
    static PrivateKey privateKey(Path file, String setting) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new IllegalArgumentException(setting + " " + file + " is a traditional (PKCS#1/SEC1) key; convert it to PKCS#8 with"
                    + " 'openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out key.pem'");
        }
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IllegalArgumentException(setting + " " + file + " is encrypted; use an unencrypted PKCS#8 key readable by"
                    + " the node only, or a PKCS12 key store with livernode.dicom.tls.key-store-password");
        }
        int begin = text.indexOf(PKCS8);
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(setting + " " + file + " holds no '" + PKCS8 + "' block");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + PKCS8.length(), end));
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // not a key of this algorithm
            }
        }
        throw new IllegalArgumentException(setting + " " + file + ": the PKCS#8 block is neither an RSA nor an EC key");
    }

    /** Every certificate in {@code file}, in file order (a chain: the leaf first). */
    static List<X509Certificate> certificates(Path file, String setting) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (X509Certificate) c).toList();
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(setting + " " + file + " holds no certificate");
            }
            return certs;
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException(setting + " " + file + " is not a PEM or DER certificate file: " + e.getMessage(), e);
        }
    }

    static Certificate[] chain(List<X509Certificate> certs) {
        return certs.toArray(Certificate[]::new);
    }
}
