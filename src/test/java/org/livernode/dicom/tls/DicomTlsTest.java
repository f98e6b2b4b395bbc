package org.livernode.dicom.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.DcmtkStoreScp;
import org.livernode.dicom.DicomSender;
import org.livernode.dicom.SendResult;
import org.livernode.dicom.DicomNode;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.dicom.vocabulary.RemoteAe;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.pipeline.JobWaits;
import org.livernode.pipeline.SegmentationWorker;
import org.livernode.security.AuditTrail;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.testing.AuditLines;
import org.livernode.testing.Dcmtk;
import org.livernode.testing.NodeTestResources;
import org.livernode.testing.TestCtSeries;
import org.livernode.testing.TestPki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.livernode.testing.AuditLines.code;
import static org.livernode.testing.AuditLines.study;

/**
 * DICOM TLS with dcmtk as the peer, on a node with the test PKI's certificate and client certificates required
 * (trust store: the test CA): storescu +tls stores a series on the TLS port and the SEG comes back over TLS to a
 * storescp +tls destination marked {@code ;tls}; a caller with an untrusted or no certificate is refused and audited;
 * plain DICOM on the TLS port fails and the node goes on serving; the allow-list holds over TLS; a TLS destination
 * whose certificate the node does not trust gets nothing; openssl s_client finds only the profile's TLS versions
 * and suites accepted.
 */
@QuarkusTest
@WithTestResource(DicomTlsTest.Resources.class)
class DicomTlsTest {
    static final String MODALITY_AE = "TLSMOD";
    static TestPki pki;

    /** The node's certificate as PEM files, the test CA as trust store, the modality known at a TLS destination. */
    public static class Resources extends NodeTestResources {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            try {
                pki = TestPki.make(Files.createTempDirectory("livernode-pki-"));
                config.put("livernode.known-aes", MODALITY_AE + "@127.0.0.1:" + DcmtkStoreScp.freePort() + RemoteAe.TLS_SUFFIX);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot make the test PKI: " + e.getMessage(), e);
            }
            TestPki.Identity node = pki.identity("node");
            config.put("livernode.dicom.tls.key", node.key().toString());
            config.put("livernode.dicom.tls.certificate", node.certificate().toString());
            config.put("livernode.dicom.tls.trust-store", pki.ca().toString());
            config.put("livernode.dicom.allowed-callers", MODALITY_AE + ",ECHOSCU");
            config.put("livernode.series.quiet-period", "1s");
            config.put("livernode.worker.poll-interval", "200ms");
            return config;
        }
    }

    @Inject
    DicomNode node;
    @Inject
    SegmentationWorker worker;
    @Inject
    LivernodeConfig config;
    @Inject
    JobQueue queue;
    @Inject
    AuditTrail audit;
    @Inject
    DicomTls tls;

    @TempDir
    Path temp;

    @BeforeEach
    void startNodeAndWorker() {
        node.start();
        worker.start("tls-test:" + node.port());
    }

    @Test
    void aSeriesStoredOverTlsGetsItsSegBackOverTls() throws Exception {
        SyntheticCtSeries ct = SyntheticCtSeries.builder().setSliceCount(10).setRows(128).setColumns(128)
                .setPixelSpacing(2.5, 2.5).setSliceSpacing(5.0).write(temp.resolve("ct"));
        RemoteAe modality = config.knownAes().orElseThrow().get(0);
        assertTrue(modality.tls());
        Path pacsDir = Files.createDirectories(temp.resolve("pacs"));
        List<String> tls = pki.identity("pacs").dcmtkOptions(pki.ca());
        // storescp +tls requires the caller's certificate (dcmtk's default): the node must present its own
        try (DcmtkStoreScp pacs = new DcmtkStoreScp(MODALITY_AE, modality.port(), pacsDir).start(tls.toArray(String[]::new))) {
            List<String> command = new ArrayList<>(List.of("storescu", "-v", "-aet", MODALITY_AE, "-aec", node.aeTitle()));
            command.addAll(pki.identity("modality").dcmtkOptions(pki.ca()));
            command.addAll(List.of("127.0.0.1", Integer.toString(node.tlsPort())));
            ct.files().forEach(f -> command.add(f.toString()));
            Dcmtk.Result sent = Dcmtk.run(command);
            assertEquals(0, sent.exitCode(), sent.output());
            assertEquals(10, sent.count("Received Store Response (Success)"), sent.output());

            Job job = JobWaits.finished(queue, ct.seriesInstanceUid(), Duration.ofMinutes(4));
            assertEquals("DONE", job.getState().name(), "job reason: " + job.reason);
            List<Path> received;
            try (Stream<Path> files = Files.list(pacsDir)) {
                received = files.toList();
            }
            assertEquals(1, received.size(), "the SEG at the TLS destination: " + received);
            AttributeList seg = new AttributeList();
            seg.read(received.get(0).toString(), TagFromName.PixelData);
            assertEquals(SopClasses.SEGMENTATION_STORAGE, seg.get(TagFromName.SOPClassUID).getSingleStringValueOrNull());
            assertEquals(ct.studyInstanceUid(), seg.get(TagFromName.StudyInstanceUID).getSingleStringValueOrNull());
        }
        // The receive events name the TLS peer by its certificate; the export names the TLS destination.
        List<JsonNode> receives = AuditLines.events(audit.file(), e -> code(e).equals("110104")
                && AuditLines.action(e).equals("C") && study(e).equals(ct.studyInstanceUid()));
        assertEquals(10, receives.size());
        JsonNode source = receives.get(0).path("ActiveParticipant").get(0);
        assertEquals(MODALITY_AE, source.path("UserID").asText());
        assertTrue(source.path("UserName").asText().startsWith("TLSv1."), source.toString());
        assertTrue(source.path("UserName").asText().contains("CN=modality-1"), source.toString());
        List<JsonNode> exports = AuditLines.events(audit.file(), e -> code(e).equals("110106") && study(e).equals(ct.studyInstanceUid()));
        assertEquals(1, exports.size());
        assertEquals("0", exports.get(0).path("EventIdentification").path("EventOutcomeIndicator").asText());
    }

    @Test
    void aCallerWithoutATrustedCertificateIsRefusedAndAudited() throws Exception {
        Dcmtk.Result rogue = echo(pki.identity("rogue").dcmtkOptions(pki.ca()));
        assertNotEquals(0, rogue.exitCode(), rogue.output());
        Dcmtk.Result anonymous = echo(List.of("+tla", "+cf", pki.ca().toString()));
        assertNotEquals(0, anonymous.exitCode(), anonymous.output());
        assertEquals(1, tlsRefusals("the caller's certificate does not chain to livernode.dicom.tls.trust-store"), "one Security Alert per refused handshake");
        assertEquals(1, tlsRefusals("the caller sent no client certificate"), "one Security Alert per refused handshake");
        Dcmtk.Result trusted = echo(pki.identity("modality").dcmtkOptions(pki.ca()));
        assertEquals(0, trusted.exitCode(), trusted.output());
    }

    @Test
    void plainDicomOnTheTlsPortFailsAndTheNodeGoesOnServing() throws Exception {
        Dcmtk.Result plain = echo(List.of());
        assertNotEquals(0, plain.exitCode(), plain.output());
        assertTrue(plain.output().contains("Association Request Failed"), plain.output());
        assertEquals(1, tlsRefusals("the caller does not speak TLS"));
        assertEquals(0, echo(pki.identity("modality").dcmtkOptions(pki.ca())).exitCode(), "TLS still served");
        assertEquals(0, Dcmtk.run("echoscu", "-aec", node.aeTitle(), "127.0.0.1", Integer.toString(node.port())).exitCode(),
                "the plain port still served");
    }

    @Test
    void theAllowListHoldsOverTls() throws Exception {
        List<String> command = new ArrayList<>(List.of("echoscu", "-aet", "INTRUDER", "-aec", node.aeTitle()));
        command.addAll(pki.identity("modality").dcmtkOptions(pki.ca()));
        command.addAll(List.of("127.0.0.1", Integer.toString(node.tlsPort())));
        Dcmtk.Result r = Dcmtk.run(command);
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("Rejected"), r.output());
        assertEquals(1, AuditLines.events(audit.file(), e -> code(e).equals("110113")
                && AuditLines.userOf(e).equals("INTRUDER")).size());
    }

    @Test
    void aTlsDestinationWhoseCertificateIsNotTrustedGetsNothing() throws Exception {
        Path file = TestCtSeries.write(temp.resolve("one"), 1, 32).files.get(0);
        Path rogueDir = Files.createDirectories(temp.resolve("rogue-pacs"));
        int port = DcmtkStoreScp.freePort();
        List<String> rogue = pki.identity("rogue").dcmtkOptions(pki.ca());
        try (DcmtkStoreScp pacs = new DcmtkStoreScp("ROGUEPACS", port, rogueDir).start(rogue.toArray(String[]::new))) {
            SendResult result = DicomSender.builder().setTls(tls).build()
                    .send(new RemoteAe("ROGUEPACS", "127.0.0.1", port, true), List.of(file));
            assertFalse(result.allDelivered());
            String error = result.failed().get(0).lastError();
            assertTrue(error.contains("TLS with ROGUEPACS@127.0.0.1:" + port + ";tls failed"), error);
            try (Stream<Path> files = Files.list(rogueDir)) {
                assertEquals(0, files.count(), "nothing reached the untrusted destination");
            }
        }
    }

    @Test
    void onlyTheProfilesVersionsAndSuitesAreAccepted() throws Exception {
        String accepted = handshakeWithOpenssl("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
        assertTrue(accepted.contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256"), accepted);
        assertTrue(handshakeWithOpenssl("-tls1_3").contains("TLSv1.3"), "TLS 1.3 is accepted");
        for (List<String> refused : List.of(List.of("-tls1_1"), List.of("-tls1_2", "-cipher", "AES128-SHA"),
                List.of("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256"))) {
            String out = handshakeWithOpenssl(refused.toArray(String[]::new));
            assertTrue(out.contains("Cipher is (NONE)"), refused + " must be refused:\n" + out);
        }
    }

    /** openssl s_client with the modality's certificate: what it says about the handshake (stdin empty, so it ends). */
    private String handshakeWithOpenssl(String... options) throws Exception {
        TestPki.Identity modality = pki.identity("modality");
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + node.tlsPort(),
                "-cert", modality.certificate().toString(), "-key", modality.key().toString(), "-CAfile", pki.ca().toString()));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private Dcmtk.Result echo(List<String> tlsOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of("echoscu", "-aec", node.aeTitle()));
        command.addAll(tlsOptions);
        command.addAll(List.of("127.0.0.1", Integer.toString(node.tlsPort())));
        return Dcmtk.run(command);
    }

    /** Security Alerts of a refused handshake for this reason (each test's refusals have a reason of their own). */
    private int tlsRefusals(String reason) throws IOException, InterruptedException {
        return AuditLines.await(audit.file(), e -> code(e).equals("110113") && e.toString().contains("TLS handshake failed: " + reason),
                1, Duration.ofSeconds(10)).size();
    }
}
