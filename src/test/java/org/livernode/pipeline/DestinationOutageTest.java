package org.livernode.pipeline;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.DcmtkStoreScp;
import org.livernode.dicom.DicomNode;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.store.JobState;
import org.livernode.testing.AdjustableClock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery as the queue's step (issue 11) with real peers: while a destination is down (nothing listens) or a black
 * hole (it accepts TCP and never answers), its job waits in DELIVERING for its next attempt and the worker segments
 * and delivers the next series meanwhile; when the destination comes up (a dcmtk storescp keeping every copy it
 * gets), the next attempt delivers and each SEG has arrived exactly once.
 */
@QuarkusTest
@WithTestResource(PipelineTestResources.class)
class DestinationOutageTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    /** storescp's option to keep a second copy of an instance under its own name, so a duplicate would show. */
    private static final String UNIQUE_FILENAMES = "--unique-filenames";

    /** How the destination fails its first attempt, and what the job says of it. */
    enum Outage {
        DOWN(PipelineTestResources.LATE_AE, "cannot open association: no TCP connection"),
        BLACK_HOLE(PipelineTestResources.SILENT_AE, "the destination sent nothing for "
                + PipelineTestResources.RESPONSE_TIMEOUT.toMillis() + " ms (livernode.delivery.response-timeout)");

        final String aeTitle;
        final String error;

        Outage(String aeTitle, String error) {
            this.aeTitle = aeTitle;
            this.error = error;
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
    AdjustableClock clock;

    @TempDir
    Path temp;

    @BeforeEach
    void startNodeAndWorker() {
        node.start();
        worker.start("outage-test:" + node.port());
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void otherSeriesAreSegmentedMeanwhileAndEachSegArrivesOnceWhenTheDestinationComesUp(Outage outage) throws Exception {
        SyntheticCtSeries waiting = EndToEnd.phantom(10).write(temp.resolve("waiting"));
        SyntheticCtSeries other = EndToEnd.phantom(10).write(temp.resolve("other"));
        try (DcmtkStoreScp late = EndToEnd.knownScp(config, outage.aeTitle, temp.resolve("pacs-" + outage.aeTitle));
             DcmtkStoreScp up = EndToEnd.knownScp(config, PipelineTestResources.DELIVERED_AE, temp.resolve("pacs-up"))
                     .start(UNIQUE_FILENAMES);
             BlackHole hole = outage == Outage.BLACK_HOLE ? BlackHole.open(late.port) : null) {
            // Both series at once: the first one's delivery attempt fails while the second one is received.
            EndToEnd.send(node, outage.aeTitle, waiting.files());
            EndToEnd.send(node, PipelineTestResources.DELIVERED_AE, other.files());
            Job failedOnce = JobWaits.until(queue, waiting.seriesInstanceUid(),
                    j -> j.getState() == JobState.DELIVERING && j.deliveryAttempts == 1 && j.leaseUntil == null,
                    "a first failed delivery attempt", JOB_TIMEOUT);
            JsonPath pending = JsonPath.from(failedOnce.resultJson);
            assertEquals("PENDING", pending.getString("delivery.status"));
            assertTrue(pending.getString("delivery.error").contains(outage.error), failedOnce.resultJson);
            assertTrue(failedOnce.reason.contains("next attempt at"), failedOnce.reason);
            if (hole != null) {
                assertTrue(hole.accepted() >= 1, "the node's attempt reached the black hole");
            }

            // The worker is not held by the destination: the next series is segmented and delivered.
            Job otherJob = JobWaits.finished(queue, other.seriesInstanceUid(), JOB_TIMEOUT);
            assertEquals(JobState.DONE, otherJob.getState(), otherJob.reason);
            assertEquals("DELIVERED", JsonPath.from(otherJob.resultJson).getString("delivery.status"));
            Job stillWaiting = queue.find(failedOnce.id).orElseThrow();
            assertEquals(JobState.DELIVERING, stillWaiting.getState(), "its next attempt is not due yet");
            assertEquals(1, stillWaiting.deliveryAttempts);

            if (hole != null) {
                hole.close();
            }
            late.start(UNIQUE_FILENAMES);
            clock.advance(PipelineTestResources.BACKOFF.plusSeconds(1)); // the next attempt is due
            Job delivered = JobWaits.finished(queue, waiting.seriesInstanceUid(), JOB_TIMEOUT);
            assertEquals(JobState.DONE, delivered.getState(), delivered.reason);
            JsonPath result = JsonPath.from(delivered.resultJson);
            assertEquals("DELIVERED", result.getString("delivery.status"));
            assertEquals(2, result.getInt("delivery.attempts"), delivered.resultJson);
            assertEquals(2, delivered.deliveryAttempts);

            // Exactly once each (storescp keeps every copy it gets under its own name).
            assertEquals(List.of(result.getString("segSopInstanceUid")), sopInstanceUids(late.directory));
            assertEquals(List.of(JsonPath.from(otherJob.resultJson).getString("segSopInstanceUid")),
                    sopInstanceUids(up.directory));
        }
    }

    private static List<String> sopInstanceUids(Path dir) throws Exception {
        List<String> uids = new ArrayList<>();
        for (Path file : EndToEnd.files(dir)) {
            uids.add(SegmentationReader.read(file).sopInstanceUid());
        }
        return uids;
    }

    /** A destination that accepts TCP connections, holds them and never reads or answers a byte. */
    private static final class BlackHole implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new ArrayList<>();
        private final Thread acceptor;

        private BlackHole(ServerSocket server) {
            this.server = server;
            this.acceptor = new Thread(this::accept, "black-hole-" + server.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        static BlackHole open(int port) throws IOException {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return new BlackHole(server);
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = server.accept();
                    synchronized (held) {
                        held.add(s);
                    }
                }
            } catch (IOException closed) {
                // close() ends the loop
            }
        }

        int accepted() {
            synchronized (held) {
                return held.size();
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            if (server.isClosed()) {
                return;
            }
            server.close();
            acceptor.join(5_000);
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
