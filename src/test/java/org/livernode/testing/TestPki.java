package org.livernode.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only keys and certificates, made with openssl when a test starts (nothing private is committed): a test
 * CA, and certificates it signs for the node (server and client use), a modality (client), a PACS (server), plus a
 * self-signed "rogue" one no trust store knows. RSA 2048 keys in unencrypted PKCS#8 PEM, as dcmtk's +tls reads them;
 * the node's also as a PKCS12 key store. Valid for two days from when they are made; the loopback address is in each
 * server certificate's subject alternative names.
 */
public final class TestPki {
    public static final String P12_PASSWORD = "test-p12-password";

    public final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** One of the made identities: its key and certificate files. */
    public record Identity(Path key, Path certificate) {
        /** dcmtk's TLS options with this identity, trusting the test CA. */
        public List<String> dcmtkOptions(Path ca) {
            return List.of("+tls", key.toString(), certificate.toString(), "+cf", ca.toString());
        }
    }

    public static TestPki make(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestPki pki = new TestPki(dir);
        pki.key("ca");
        openssl("req", "-x509", "-new", "-key", pki.file("ca.key"), "-subj", "/O=livernode tests/CN=livernode test CA",
                "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-out", pki.file("ca.crt"));
        pki.leaf("node", "/O=livernode tests/CN=livernode node", "serverAuth,clientAuth", 1);
        pki.leaf("modality", "/O=livernode tests/CN=modality-1", "clientAuth", 2);
        pki.leaf("pacs", "/O=livernode tests/CN=pacs-1", "serverAuth,clientAuth", 3);
        pki.key("rogue");
        openssl("req", "-x509", "-new", "-key", pki.file("rogue.key"), "-subj", "/O=elsewhere/CN=rogue", "-days", "2",
                "-out", pki.file("rogue.crt"));
        openssl("pkcs12", "-export", "-inkey", pki.file("node.key"), "-in", pki.file("node.crt"), "-name", "node",
                "-passout", "pass:" + P12_PASSWORD, "-out", pki.file("node.p12"));
        return pki;
    }

    public Path ca() {
        return dir.resolve("ca.crt");
    }

    public Path nodeKeyStore() {
        return dir.resolve("node.p12");
    }

    public Identity identity(String name) {
        return new Identity(dir.resolve(name + ".key"), dir.resolve(name + ".crt"));
    }

    private void key(String name) throws IOException, InterruptedException {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file(name + ".key"));
    }

    private void leaf(String name, String subject, String usage, int serial) throws IOException, InterruptedException {
        key(name);
        openssl("req", "-new", "-key", file(name + ".key"), "-subj", subject, "-out", file(name + ".csr"));
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                + "extendedKeyUsage=" + usage + "\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("x509", "-req", "-in", file(name + ".csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"),
                "-set_serial", Integer.toString(serial), "-days", "2", "-extfile", ext.toString(), "-out", file(name + ".crt"));
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Dcmtk.Result r = Dcmtk.run(command);
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + r.output());
        }
    }
}
