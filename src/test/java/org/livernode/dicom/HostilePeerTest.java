package org.livernode.dicom;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livernode.testing.Dcmtk;
import org.livernode.testing.NodeTestResources;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers that hold connections silent, trickle bytes, declare absurd PDU lengths or send noise: the node cuts each
 * within its timeouts, allocates nothing they ask for, and serves a fresh echoscu meanwhile. Short timeouts here
 * (ARTIM 1 s, idle 2 s, PDU 2 s) keep the test short; the bounds below are those timeouts plus slack, never a
 * measured time.
 */
@QuarkusTest
@TestProfile(HostilePeerTest.ShortTimeouts.class)
@WithTestResource(NodeTestResources.class)
class HostilePeerTest {
    static final int ARTIM_MS = 1000;
    static final int IDLE_MS = 2000;
    static final int PDU_MS = 2000;
    /** What any cut must take at most: the longest timeout, plus slack for a busy 2-core machine. */
    static final int CUT_BOUND_MS = Math.max(IDLE_MS, PDU_MS) + 8000;

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livernode.dicom.artim-timeout", ARTIM_MS + "ms",
                    "livernode.dicom.idle-timeout", IDLE_MS + "ms",
                    "livernode.dicom.pdu-timeout", PDU_MS + "ms",
                    "livernode.dicom.max-associations", "8",
                    "livernode.dicom.max-associations-per-caller", "4");
        }
    }

    @Inject
    DicomNode node;

    private final List<Socket> sockets = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void startNode() {
        node.start();
    }

    @AfterEach
    void closeAll() throws IOException {
        pool.shutdownNow();
        for (Socket s : sockets) {
            s.close();
        }
    }

    @Test
    void silentTcpConnectionsAreClosedAfterArtimAndDoNotTakeAssociationSlots() throws Exception {
        List<Socket> silent = connect(24); // three times max-associations
        echoIsServed(); // they hold no association slot while they say nothing
        for (Socket s : silent) {
            RawPeer.readUntilClosed(s, ARTIM_MS + CUT_BOUND_MS);
        }
    }

    @Test
    void silentAssociationsAreAbortedAfterTheIdleTimeout() throws Exception {
        List<Socket> held = connect(8); // every slot, from 8 different "callers"
        for (int i = 0; i < held.size(); i++) {
            OutputStream out = held.get(i).getOutputStream();
            out.write(RawPeer.associateRequest(node.aeTitle(), "SILENT" + i));
            out.flush();
        }
        for (Socket s : held) {
            byte[] answer = readFirstPdu(s);
            assertEquals(0x02, answer[0] & 0xff, "A-ASSOCIATE-AC expected");
        }
        echoIsServed();
        for (Socket s : held) {
            RawPeer.readUntilClosed(s, CUT_BOUND_MS);
        }
    }

    @Test
    void oneCallerCannotTakeEverySlot() throws Exception {
        List<Socket> held = connect(5);
        List<Integer> answers = new ArrayList<>();
        for (Socket s : held) {
            s.getOutputStream().write(RawPeer.associateRequest(node.aeTitle(), "GREEDY"));
            s.getOutputStream().flush();
            answers.add(readFirstPdu(s)[0] & 0xff);
        }
        // max-associations-per-caller=4: the fifth gets A-ASSOCIATE-RJ, and other callers still get in.
        assertEquals(List.of(2, 2, 2, 2, 3), answers);
        echoIsServed();
    }

    @Test
    void slowLorisPeersAreCutAfterThePduTimeout() throws Exception {
        byte[] request = RawPeer.associateRequest(node.aeTitle(), "LORIS");
        List<Socket> loris = connect(12);
        List<Future<?>> trickles = new ArrayList<>();
        for (Socket s : loris) {
            trickles.add(pool.submit(() -> {
                OutputStream out = s.getOutputStream();
                for (byte b : request) {  // one byte every 250 ms: the whole request would take about 20 s
                    out.write(b);
                    out.flush();
                    Thread.sleep(250);
                }
                return null;
            }));
        }
        echoIsServed();
        for (Socket s : loris) {
            RawPeer.readUntilClosed(s, CUT_BOUND_MS);
        }
        for (Future<?> t : trickles) {
            t.cancel(true);
        }
    }

    @Test
    void absurdPduLengthsGetAnAbortAndAreNeverAllocated() throws Exception {
        long rssBefore = rssBytes();
        for (int i = 0; i < 8; i++) {
            try (Socket s = connect(1).get(0)) {
                s.getOutputStream().write(RawPeer.header(0x01, 0x40000000L)); // A-ASSOCIATE-RQ of 1 GiB
                s.getOutputStream().flush();
                byte[] answer = RawPeer.readUntilClosed(s, CUT_BOUND_MS);
                assertTrue(answer.length >= 10 && (answer[0] & 0xff) == 0x07, "A-ABORT expected, got " + answer.length + " bytes");
            }
        }
        // An absurd P-DATA-TF on an established association is aborted too.
        try (Socket s = connect(1).get(0)) {
            s.getOutputStream().write(RawPeer.associateRequest(node.aeTitle(), "ABSURD"));
            s.getOutputStream().flush();
            assertEquals(0x02, readFirstPdu(s)[0] & 0xff);
            s.getOutputStream().write(RawPeer.header(0x04, 0xfffffff0L));
            s.getOutputStream().flush();
            byte[] answer = RawPeer.readUntilClosed(s, CUT_BOUND_MS);
            assertTrue(answer.length >= 10 && (answer[0] & 0xff) == 0x07, "A-ABORT expected");
        }
        long growth = rssBytes() - rssBefore;
        assertTrue(growth < 256L << 20, "RSS grew by " + (growth >> 20) + " MiB after 9 PDUs declaring 1-4 GiB each");
        echoIsServed();
    }

    @Test
    void randomBytesAreDroppedAndTheNodeServesOn() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 20; i++) {
            try (Socket s = connect(1).get(0)) {
                byte[] noise = new byte[4096];
                random.nextBytes(noise);
                try {
                    s.getOutputStream().write(noise);
                } catch (IOException closedEarly) {
                    // the node may close before all the noise is written
                }
                RawPeer.readUntilClosed(s, CUT_BOUND_MS);
            }
        }
        echoIsServed();
    }

    /** echoscu succeeds within the bound (retried: a refused try is no failure as long as one succeeds in time). */
    private void echoIsServed() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CUT_BOUND_MS);
        Dcmtk.Result last;
        do {
            last = Dcmtk.run("echoscu", "-to", "5", "-aec", node.aeTitle(), "127.0.0.1", Integer.toString(node.port()));
            if (last.exitCode() == 0) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("echoscu not served within " + CUT_BOUND_MS + " ms: " + last.output());
    }

    private List<Socket> connect(int n) throws IOException {
        List<Socket> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", node.port()), 2000);
            sockets.add(s);
            made.add(s);
        }
        return made;
    }

    private static byte[] readFirstPdu(Socket s) throws IOException {
        s.setSoTimeout(CUT_BOUND_MS);
        byte[] head = s.getInputStream().readNBytes(6);
        if (head.length < 6) {
            throw new AssertionError("the node closed the connection without answering");
        }
        long length = ((head[2] & 0xffL) << 24) | ((head[3] & 0xffL) << 16) | ((head[4] & 0xffL) << 8) | (head[5] & 0xffL);
        s.getInputStream().readNBytes((int) length);
        return head;
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
