package org.livernode.api.dicomweb;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.livernode.store.InstanceStore;
import org.livernode.testing.NodeTestResources;
import org.livernode.testing.ProcessMemory;
import org.livernode.testing.TestUser;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * STOW-RS with hostile bodies: a part header line of 1.5 GiB is refused with a 400 problem while RSS stays bounded,
 * and what is kept of refused parts in rejected/ stays within livernode.rejected.max-files and max-mb.
 */
@QuarkusTest
@TestProfile(StowBoundsTest.SmallRejectedBudget.class)
@WithTestResource(NodeTestResources.class)
class StowBoundsTest {
    static final int MAX_FILES = 3;

    public static class SmallRejectedBudget implements QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("livernode.rejected.max-files", Integer.toString(MAX_FILES),
                    "livernode.rejected.max-mb", "1");
        }
    }

    @TestHTTPResource("/dicom-web")
    URL dicomWeb;
    @Inject
    InstanceStore store;

    @Test
    void aPartHeaderLineOfOnePointFiveGibIsRefusedWithAProblemAndRssStaysBounded() throws Exception {
        long declared = 3L << 29; // 1.5 GiB
        long rssBefore = ProcessMemory.rssBytes();
        AtomicBoolean answered = new AtomicBoolean();
        try (Socket socket = new Socket(dicomWeb.getHost(), dicomWeb.getPort())) {
            OutputStream out = socket.getOutputStream();
            String head = "--B\r\nX-Junk: ";
            out.write(("POST /dicom-web/studies HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Authorization: " + TestUser.AUTHORIZATION + "\r\n"
                    + "Content-Type: multipart/related; type=\"application/dicom\"; boundary=B\r\n"
                    + "Content-Length: " + (head.length() + declared) + "\r\n\r\n" + head).getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Long> sending = CompletableFuture.supplyAsync(() -> {
                byte[] chunk = new byte[1 << 20];
                Arrays.fill(chunk, (byte) 'a');
                long sent = 0;
                try {
                    while (sent < declared && !answered.get()) {
                        out.write(chunk);
                        sent += chunk.length;
                    }
                } catch (java.io.IOException closedByTheNode) {
                    // the node answered and closed: what a client of a refused upload sees
                }
                return sent;
            });
            String response = readResponse(socket.getInputStream());
            answered.set(true);
            long sent = sending.get(5, TimeUnit.MINUTES);
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("application/problem+json"), response);
            assertTrue(response.contains("a part header line is longer than " + MultipartRelated.MAX_HEADER_LINE + " bytes"),
                    response);
            long growth = ProcessMemory.rssBytes() - rssBefore;
            assertTrue(growth < 256L << 20, "RSS grew by " + (growth >> 20) + " MiB; " + (sent >> 20) + " MiB sent");
        }
    }

    @Test
    void refusedPartsKeptInRejectedStayWithinTheBounds() throws Exception {
        DicomWebClient client = new DicomWebClient(dicomWeb.toString());
        List<Path> junk = new ArrayList<>();
        Path dir = Files.createTempDirectory("stow-junk");
        for (int i = 0; i < 10; i++) {
            junk.add(Files.writeString(dir.resolve("junk" + i + ".dcm"), "not DICOM, part " + i));
        }
        HttpResponse<byte[]> refused = client.stow("/studies", junk);
        assertEquals(409, refused.statusCode());
        List<Path> kept = rejected();
        assertEquals(MAX_FILES, kept.size(), "the newest " + MAX_FILES + " refused parts are kept: " + kept);

        Path big = dir.resolve("big.dcm");
        byte[] twoMib = new byte[2 << 20];
        Arrays.fill(twoMib, (byte) 'x');
        Files.write(big, twoMib);
        assertEquals(409, client.stow("/studies", List.of(big)).statusCode());
        List<Path> after = rejected();
        long total = 0;
        for (Path p : after) {
            total += Files.size(p);
        }
        assertTrue(after.size() <= MAX_FILES && total <= 1 << 20, "within 3 files and 1 MiB: " + after + ", " + total
                + " bytes");
        assertTrue(after.containsAll(kept), "the 2 MiB part (over the whole budget) is not kept and evicts nothing");
    }

    private List<Path> rejected() throws Exception {
        try (Stream<Path> s = Files.list(store.rejectedDir())) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Status line, headers and whatever body comes before the node closes (Connection: close). */
    private static String readResponse(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0 && b.size() < 1 << 20; ) {
            b.write(buffer, 0, n);
            String text = b.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0 && text.contains("}")) {
                return text;
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
