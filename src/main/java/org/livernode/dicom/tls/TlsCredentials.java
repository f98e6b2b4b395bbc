package org.livernode.dicom.tls;

import org.livernode.config.LivernodeConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The node's TLS key material as the settings name it ({@code livernode.dicom.tls.*}), read and checked once: a
 * wrong file, password or key is a message naming the setting, so the node does not start with a TLS port that
 * fails every handshake.
 */
record TlsCredentials(KeyStore keys, char[] keyPassword, X509Certificate certificate, KeyStore trust, boolean clientAuth) {
    private static final String P = "livernode.dicom.tls.";
    static final String ALIAS = "node";

    /** Whether the TLS port opens: the node has a key and certificate. */
    boolean serves() {
        return keys != null;
    }

    static TlsCredentials load(LivernodeConfig.Tls s) {
        try {
            boolean pem = s.key().isPresent() || s.certificate().isPresent();
            if (s.keyStore().isPresent() && pem) {
                throw new IllegalArgumentException("set either " + P + "key-store or " + P + "key and " + P + "certificate, not both");
            }
            if (pem && (s.key().isEmpty() || s.certificate().isEmpty())) {
                throw new IllegalArgumentException(P + "key and " + P + "certificate go together; only "
                        + (s.key().isPresent() ? "key" : "certificate") + " is set");
            }
            char[] password = s.keyStorePassword().orElse("").toCharArray();
            KeyStore keys = s.keyStore().isPresent() ? pkcs12(s.keyStore().get(), password, P + "key-store")
                    : pem ? pemKeyStore(s.key().get(), s.certificate().get(), password) : null;
            KeyStore trust = s.trustStore().isPresent() ? trustStore(s.trustStore().get(), s.trustStorePassword()) : null;
            boolean clientAuth = s.clientAuth().map(a -> a == LivernodeConfig.ClientAuth.REQUIRED).orElse(trust != null);
            if (keys == null) {
                if (s.clientAuth().isPresent()) {
                    throw new IllegalArgumentException(P + "client-auth applies to the TLS port, which opens only with "
                            + P + "key-store or " + P + "key and " + P + "certificate");
                }
                return new TlsCredentials(null, password, null, trust, false);
            }
            if (clientAuth && trust == null) {
                throw new IllegalArgumentException(P + "client-auth=required needs " + P
                        + "trust-store (the CA certificates callers' certificates must chain to), or set client-auth=none");
            }
            return new TlsCredentials(keys, password, checkedKeyEntry(keys, password), trust, clientAuth);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("DICOM TLS settings: " + e.getMessage(), e);
        }
    }

    private static KeyStore pkcs12(Path file, char[] password, String setting) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(readable(file, setting))) {
            store.load(in, password);
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + " " + file + " cannot be opened with " + setting
                    + "-password (wrong password, or not a PKCS12 file): " + e.getMessage(), e);
        }
        return store;
    }

    private static KeyStore pemKeyStore(Path keyFile, Path certFile, char[] password) throws IOException, GeneralSecurityException {
        PrivateKey key = PemFiles.privateKey(readable(keyFile, P + "key"), P + "key");
        List<X509Certificate> chain = PemFiles.certificates(readable(certFile, P + "certificate"), P + "certificate");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, key, password, PemFiles.chain(chain));
        return store;
    }

    private static KeyStore trustStore(Path file, Optional<String> password) throws IOException, GeneralSecurityException {
        String setting = P + "trust-store";
        if (!PemFiles.isPem(readable(file, setting))) {
            KeyStore store = pkcs12(file, password.orElse("").toCharArray(), setting);
            if (store.size() == 0) {
                throw new IllegalArgumentException(setting + " " + file + " holds no certificate");
            }
            return store;
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int n = 0;
        for (X509Certificate ca : PemFiles.certificates(file, setting)) {
            store.setCertificateEntry("ca-" + n++, ca);
        }
        return store;
    }

    /** The one key entry: an RSA key (the profile's TLS 1.2 suites are RSA's) matching a certificate valid today. */
    private static X509Certificate checkedKeyEntry(KeyStore keys, char[] password) throws GeneralSecurityException {
        List<String> entries = Collections.list(keys.aliases()).stream().filter(a -> isKeyEntry(keys, a)).toList();
        if (entries.size() != 1) {
            throw new IllegalArgumentException("the node's key store must hold exactly one private key entry, found " + entries.size());
        }
        String alias = entries.get(0);
        PrivateKey key;
        try {
            key = (PrivateKey) keys.getKey(alias, password);
        } catch (java.security.UnrecoverableKeyException e) {
            throw new IllegalArgumentException("the key in the key store cannot be read with " + P + "key-store-password", e);
        }
        X509Certificate cert = (X509Certificate) keys.getCertificate(alias);
        if (!"RSA".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("the node's key must be RSA (" + TlsProfile.NAME + " authenticates TLS 1.2 with RSA), found "
                    + key.getAlgorithm());
        }
        if (!matches(key, cert)) {
            throw new IllegalArgumentException("the node's private key does not belong to its certificate " + cert.getSubjectX500Principal());
        }
        try {
            cert.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new IllegalArgumentException("the node's certificate " + cert.getSubjectX500Principal() + " is valid only from "
                    + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant(), e);
        }
        if (!alias.equals(ALIAS)) {
            keys.setKeyEntry(ALIAS, key, password, keys.getCertificateChain(alias));
            keys.deleteEntry(alias);
        }
        return cert;
    }

    private static boolean isKeyEntry(KeyStore keys, String alias) {
        try {
            return keys.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean matches(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        byte[] probe = "livernode".getBytes(StandardCharsets.US_ASCII);
        Signature sign = Signature.getInstance("SHA256withRSA");
        sign.initSign(key);
        sign.update(probe);
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(cert.getPublicKey());
        verify.update(probe);
        return verify.verify(signature);
    }

    private static Path readable(Path file, String setting) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(setting + " " + file + ": no such readable file");
        }
        return file;
    }
}
