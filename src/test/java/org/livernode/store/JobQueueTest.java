package org.livernode.store;

import org.livernode.dicom.vocabulary.Uids;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.testing.NodeTestResources;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue as two replicas on one database see it (two node ids in one process): one job per complete series,
 * a claim nobody else gets while the lease runs, a takeover once it has run out, and a first runner that can
 * neither renew nor finish what was taken over. Runs on H2 and on PostgreSQL.
 */
@QuarkusTest
@WithTestResource(NodeTestResources.class)
class JobQueueTest {
    private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    @Inject
    InstanceIndex index;
    @Inject
    SeriesCompletion completion;
    @Inject
    JobQueue queue;

    @Test
    void oneJobPerSeriesClaimedOnceAndTakenOverAfterTheLease() throws Exception {
        String study = Uids.newUid();
        String series = Uids.newUid();
        Instant received = Instant.now();
        for (int k = 1; k <= 2; k++) {
            String sop = Uids.newUid();
            index.index(new ReceivedInstance(study, series, sop, CT_IMAGE_STORAGE, "1.2.840.10008.1.2.1", "CT1",
                    "127.0.0.1", "CT", 1, "queue", k, "ORIGINAL\\PRIMARY\\AXIAL", "0\\0\\" + k, "P1", "P^1",
                    "20260101", "queue test", "A1", 100, received, "studies/" + study + "/" + series + "/" + sop + ".dcm"));
        }

        // Both "replicas" check completion: only the first queues.
        Instant later = received.plus(Duration.ofHours(1));
        List<Job> first = completion.queueDueSeries(later, Duration.ofSeconds(1));
        List<Job> second = completion.queueDueSeries(later, Duration.ofSeconds(1));
        assertEquals(1, first.stream().filter(j -> j.seriesUid.equals(series)).count(), "queued once: " + first);
        assertEquals(0, second.stream().filter(j -> j.seriesUid.equals(series)).count(), "not twice: " + second);
        long id = first.stream().filter(j -> j.seriesUid.equals(series)).findFirst().orElseThrow().id;

        // Long enough that a loaded CI machine still makes the second claim inside it.
        Duration lease = Duration.ofSeconds(3);
        Job a = queue.claim(id, "node-a:1", lease).orElseThrow(() -> new AssertionError("node-a claims the queued job"));
        assertEquals(1, a.attempts);
        assertTrue(queue.claim(id, "node-b:2", lease).isEmpty(), "node-b cannot take a job whose lease runs");
        assertTrue(queue.renewLease(id, "node-a:1", lease), "the holder renews its lease");

        Thread.sleep(lease.toMillis() + 500);  // node-a stops renewing, as if it had died
        Job b = queue.claim(id, "node-b:2", lease).orElseThrow(() -> new AssertionError("node-b takes over after the lease"));
        assertEquals(2, b.attempts);
        assertEquals("node-b:2", b.claimedBy);
        assertFalse(queue.renewLease(id, "node-a:1", lease), "node-a learns it lost the job");
        assertFalse(queue.finish(id, "node-a:1", JobState.DONE, null, "{}"), "node-a cannot finish it");
        assertTrue(queue.finish(id, "node-b:2", JobState.DONE, null, "{\"by\":\"b\"}"));
        Job done = queue.find(id).orElseThrow();
        assertEquals(JobState.DONE, done.getState());
        assertEquals("node-b:2", done.claimedBy);
        assertEquals("{\"by\":\"b\"}", done.resultJson);
        assertTrue(completion.queueDueSeries(later, Duration.ofSeconds(1)).stream().noneMatch(j -> j.seriesUid.equals(series)),
                "a finished series is not queued again");
    }
}
