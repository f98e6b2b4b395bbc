package org.livernode.dicom;

import org.livernode.dicom.vocabulary.RemoteAe;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** C-STORE to a real dcmtk storescp: delivery, retries while the destination is down, and giving up. */
class DicomSenderTest {

    @TempDir
    Path dir;

    private List<Path> ctFiles(int n) throws Exception {
        TestCtSlices ct = new TestCtSlices();
        ct.slices = n;
        Path out = Files.createDirectories(dir.resolve("ct"));
        return ct.writeFiles(out);
    }

    private Path received() throws IOException {
        return Files.createDirectories(dir.resolve("received"));
    }

    @Test
    void deliversEveryFileWithIdenticalContent() throws Exception {
        List<Path> files = ctFiles(3);
        try (DcmtkStoreScp scp = new DcmtkStoreScp("STORESCP", DcmtkStoreScp.freePort(), received()).start()) {
            SendResult result = DicomSender.builder().setAttempts(2).build().send(scp.remoteAe(), files);
            assertTrue(result.allDelivered(), result.toString());
            assertEquals(1, result.attempts());
            result.files().forEach(f -> assertEquals(1, f.attempts()));
            result.files().forEach(f -> assertNull(f.lastError()));
            assertReceivedExactly(files, scp.directory);
        }
    }

    @Test
    void retriesUntilTheDestinationComesUpAndDeliversOnce() throws Exception {
        List<Path> files = ctFiles(2);
        int port = DcmtkStoreScp.freePort();
        DicomSender sender = DicomSender.builder().setAttempts(8).setInitialBackoff(Duration.ofMillis(300))
                .setBackoffMultiplier(2).setMaxBackoff(Duration.ofSeconds(2)).build();
        try (DcmtkStoreScp scp = new DcmtkStoreScp("LATE", port, received())) {
            CompletableFuture<SendResult> sending = CompletableFuture.supplyAsync(() -> sender.send(scp.remoteAe(), files));
            Thread.sleep(1200); // attempts 1-3 meet a closed port (0, 0.3 s, 0.9 s)
            assertFalse(sending.isDone(), "the sender should still be retrying");
            scp.start();
            SendResult result = sending.get(30, TimeUnit.SECONDS);
            assertTrue(result.allDelivered(), result.toString());
            assertTrue(result.attempts() >= 3, "attempts: " + result.attempts());
            for (SendResult.FileStatus f : result.files()) {
                assertTrue(f.lastError().contains("cannot open association"), f.lastError());
            }
            assertReceivedExactly(files, scp.directory);
        }
    }

    @Test
    void givesUpClearlyWhenTheDestinationNeverComesUp() throws Exception {
        List<Path> files = ctFiles(1);
        RemoteAe nowhere = new RemoteAe("NOBODY", "127.0.0.1", DcmtkStoreScp.freePort());
        long start = System.nanoTime();
        SendResult result = DicomSender.builder().setAttempts(3).setInitialBackoff(Duration.ofMillis(100)).build()
                .send(nowhere, files);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertFalse(result.allDelivered());
        assertEquals(3, result.attempts());
        SendResult.FileStatus f = result.failed().get(0);
        assertEquals(3, f.attempts());
        assertTrue(f.lastError().contains("cannot open association"), f.lastError());
        assertTrue(f.lastError().toLowerCase().contains("refused"), f.lastError());
        assertTrue(millis >= 300 && millis < 10_000, "backoff 100 + 200 ms, took " + millis + " ms");
    }

    @Test
    void aRefusedAssociationIsRetriedThenReported() throws Exception {
        List<Path> files = ctFiles(1);
        try (DcmtkStoreScp scp = new DcmtkStoreScp("REFUSER", DcmtkStoreScp.freePort(), received()).start("--refuse")) {
            SendResult result = DicomSender.builder().setAttempts(2).setInitialBackoff(Duration.ofMillis(50)).build()
                    .send(scp.remoteAe(), files);
            assertFalse(result.allDelivered());
            assertEquals(2, result.failed().get(0).attempts());
            assertTrue(result.failed().get(0).lastError().contains("cannot open association"), result.failed().get(0).lastError());
            try (Stream<Path> s = Files.list(scp.directory)) {
                assertEquals(0, s.count());
            }
        }
    }

    @Test
    void anAssociationAbortedDuringTransferIsRetriedThenReported() throws Exception {
        List<Path> files = ctFiles(1);
        try (DcmtkStoreScp scp = new DcmtkStoreScp("ABORTER", DcmtkStoreScp.freePort(), received()).start("--abort-during")) {
            SendResult result = DicomSender.builder().setAttempts(2).setInitialBackoff(Duration.ofMillis(50)).build()
                    .send(scp.remoteAe(), files);
            assertFalse(result.allDelivered());
            SendResult.FileStatus f = result.failed().get(0);
            assertEquals(2, f.attempts());
            assertTrue(f.lastError().contains("association aborted or failed while sending"), f.lastError());
        }
    }

    @Test
    void anUnreadableFileFailsAtOnceWithoutStoppingTheOthers() throws Exception {
        List<Path> files = new ArrayList<>(ctFiles(2));
        Path junk = Files.writeString(dir.resolve("notes.dcm"), "not DICOM at all");
        files.add(1, junk);
        try (DcmtkStoreScp scp = new DcmtkStoreScp("STORESCP", DcmtkStoreScp.freePort(), received()).start()) {
            SendResult result = DicomSender.builder().setAttempts(3).setInitialBackoff(Duration.ofMillis(50)).build()
                    .send(scp.remoteAe(), files);
            assertEquals(List.of(junk.toAbsolutePath()), result.failed().stream().map(SendResult.FileStatus::file).toList());
            assertEquals(0, result.failed().get(0).attempts());
            assertTrue(result.failed().get(0).lastError().contains("not sendable"), result.failed().get(0).lastError());
            assertEquals(1, result.attempts());
            assertReceivedExactly(List.of(files.get(0), files.get(2)), scp.directory);
        }
    }

    @Test
    void backoffGrowsExponentiallyUpToTheMaximum() {
        DicomSender s = DicomSender.builder().setInitialBackoff(Duration.ofMillis(500)).setBackoffMultiplier(3)
                .setMaxBackoff(Duration.ofSeconds(10)).build();
        assertEquals(List.of(500L, 1500L, 4500L, 10000L, 10000L),
                Stream.of(1, 2, 3, 4, 5).map(n -> s.backoffAfter(n).toMillis()).toList());
    }

    /** Each sent file arrived once, with the same SOP Instance UID and a byte-identical data set. */
    @Test
    void aDestinationThatAcceptsTcpAndNeverAnswersFailsTheAttemptAtTheResponseTimeout() throws Exception {
        List<Path> files = ctFiles(1);
        DicomSender sender = DicomSender.builder().setAttempts(2).setInitialBackoff(Duration.ofMillis(100))
                .setResponseTimeout(Duration.ofSeconds(1)).build();
        try (java.net.ServerSocket blackHole = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // The kernel completes the TCP handshakes (backlog); nobody ever reads or answers.
            org.livernode.dicom.vocabulary.RemoteAe to = new org.livernode.dicom.vocabulary.RemoteAe("BLACKHOLE", "127.0.0.1",
                    blackHole.getLocalPort());
            SendResult result = CompletableFuture.supplyAsync(() -> sender.send(to, files)).get(60, TimeUnit.SECONDS);
            assertFalse(result.allDelivered(), result.toString());
            assertEquals(2, result.attempts());
            String error = result.files().get(0).lastError();
            assertTrue(error.contains("livernode.delivery.response-timeout"), error);
        }
    }

    private static void assertReceivedExactly(List<Path> sent, Path directory) throws Exception {
        Map<String, Path> receivedByUid = new HashMap<>();
        try (Stream<Path> s = Files.list(directory)) {
            for (Path p : s.toList()) {
                Path previous = receivedByUid.put(sopInstanceUid(p), p);
                assertNull(previous, "received twice: " + p);
            }
        }
        assertEquals(sent.size(), receivedByUid.size(), "files received: " + receivedByUid.keySet());
        for (Path file : sent) {
            Path got = receivedByUid.get(sopInstanceUid(file));
            assertTrue(got != null, "not received: " + file);
            assertArrayEquals(dataSet(file), dataSet(got), "data set of " + file);
        }
    }

    private static String sopInstanceUid(Path file) throws Exception {
        AttributeList l = new AttributeList();
        l.read(file.toString(), TagFromName.PixelData);
        return Attribute.getSingleStringValueOrNull(l, TagFromName.SOPInstanceUID);
    }

    /** The bytes after the File Meta Information (preamble, DICM, group 0002 of the given group length). */
    private static byte[] dataSet(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        assertEquals("DICM", new String(b, 128, 4, java.nio.charset.StandardCharsets.US_ASCII));
        int groupLength = ByteBuffer.wrap(b, 132 + 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Arrays.copyOfRange(b, 132 + 12 + groupLength, b.length);
    }
}
