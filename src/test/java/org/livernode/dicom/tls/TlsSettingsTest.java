package org.livernode.dicom.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.config.LivernodeConfig;
import org.livernode.testing.Dcmtk;
import org.livernode.testing.TestPki;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TLS settings are checked when the node starts: each mistake is a message naming the setting and the file. */
class TlsSettingsTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    /** {@code livernode.dicom.tls.*} as a test writes them. */
    record Settings(Optional<Path> keyStore, Optional<String> keyStorePassword, Optional<Path> key,
                    Optional<Path> certificate, Optional<Path> trustStore, Optional<LivernodeConfig.ClientAuth> clientAuth)
            implements LivernodeConfig.Tls {
        static Settings none() {
            return new Settings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty());
        }

        Settings withKeyStore(Path p, String password) {
            return new Settings(Optional.of(p), Optional.of(password), key, certificate, trustStore, clientAuth);
        }

        Settings withPem(Path k, Path c) {
            return new Settings(keyStore, keyStorePassword, Optional.ofNullable(k), Optional.ofNullable(c), trustStore, clientAuth);
        }

        Settings withTrust(Path t) {
            return new Settings(keyStore, keyStorePassword, key, certificate, Optional.of(t), clientAuth);
        }

        Settings withAuth(LivernodeConfig.ClientAuth a) {
            return new Settings(keyStore, keyStorePassword, key, certificate, trustStore, Optional.of(a));
        }

        @Override
        public int port() {
            return 2762;
        }

        @Override
        public Optional<String> trustStorePassword() {
            return Optional.empty();
        }
    }

    @BeforeAll
    static void makePki() throws Exception {
        pki = TestPki.make(dir.resolve("pki"));
    }

    @Test
    void withoutKeyMaterialThereIsNoTlsPort() {
        assertFalse(TlsCredentials.load(Settings.none()).serves());
        assertFalse(TlsCredentials.load(Settings.none().withTrust(pki.ca())).serves(), "a trust store alone is for destinations");
    }

    @Test
    void aPkcs12KeyStoreOrPemFilesServe() {
        TlsCredentials p12 = TlsCredentials.load(Settings.none().withKeyStore(pki.nodeKeyStore(), TestPki.P12_PASSWORD));
        assertTrue(p12.serves());
        assertFalse(p12.clientAuth(), "no trust store: no client certificates asked");
        assertTrue(p12.certificate().getSubjectX500Principal().getName().contains("CN=livernode node"));
        TestPki.Identity node = pki.identity("node");
        TlsCredentials pem = TlsCredentials.load(Settings.none().withPem(node.key(), node.certificate()).withTrust(pki.ca()));
        assertTrue(pem.serves());
        assertTrue(pem.clientAuth(), "a trust store turns client certificates on");
        assertFalse(TlsCredentials.load(Settings.none().withPem(node.key(), node.certificate()).withTrust(pki.ca())
                .withAuth(LivernodeConfig.ClientAuth.NONE)).clientAuth());
    }

    @Test
    void eachMistakeNamesItsSetting() throws Exception {
        TestPki.Identity node = pki.identity("node");
        assertMessage(Settings.none().withKeyStore(pki.nodeKeyStore(), "wrong-password"),
                "livernode.dicom.tls.key-store", "key-store-password", "wrong password");
        assertMessage(Settings.none().withKeyStore(dir.resolve("missing.p12"), "x"), "livernode.dicom.tls.key-store", "missing.p12", "no such");
        assertMessage(Settings.none().withPem(node.key(), null), "livernode.dicom.tls.key and livernode.dicom.tls.certificate go together");
        assertMessage(Settings.none().withPem(node.key(), node.certificate()).withKeyStore(pki.nodeKeyStore(), "x"), "not both");
        assertMessage(Settings.none().withPem(node.key(), pki.identity("pacs").certificate()), "does not belong to its certificate");
        assertMessage(Settings.none().withPem(node.key(), node.certificate()).withAuth(LivernodeConfig.ClientAuth.REQUIRED),
                "client-auth=required needs livernode.dicom.tls.trust-store");
        assertMessage(Settings.none().withPem(node.certificate(), node.certificate()), "livernode.dicom.tls.key", "no '-----BEGIN PRIVATE KEY-----'");

        Path traditional = dir.resolve("traditional.key");
        assertEquals(0, Dcmtk.run("openssl", "pkey", "-in", node.key().toString(), "-traditional", "-out", traditional.toString()).exitCode());
        assertMessage(Settings.none().withPem(traditional, node.certificate()), "PKCS#1", "openssl pkcs8 -topk8 -nocrypt");

        Path ecKey = dir.resolve("ec.key");
        Path ecCert = dir.resolve("ec.crt");
        assertEquals(0, Dcmtk.run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ecKey.toString()).exitCode());
        assertEquals(0, Dcmtk.run("openssl", "req", "-x509", "-new", "-key", ecKey.toString(), "-subj", "/CN=ec", "-days", "1",
                "-out", ecCert.toString()).exitCode());
        assertMessage(Settings.none().withPem(ecKey, ecCert), "must be RSA", "found EC");
    }

    private static void assertMessage(Settings settings, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsCredentials.load(settings));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should contain '" + f + "'");
        }
    }
}
