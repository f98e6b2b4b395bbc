package org.livernode.store;

import org.livernode.dicom.vocabulary.Uids;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.testing.AdjustableClock;
import org.livernode.testing.NodeTestResources;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue as two replicas on one database see it (two node ids in one process): one job per complete series,
 * a claim nobody else gets while the lease runs, a takeover once it has run out, and a first runner that can
 * neither renew nor finish what was taken over; a DELIVERING job claimed per attempt once due. The clock is moved,
 * not waited for. Runs on H2 and on PostgreSQL. The node's own worker and completion timer are off: they are a third
 * replica that would queue or claim the test's series first (the series are due at once on the moved clock).
 */
@QuarkusTest
@TestProfile(JobQueueTest.TestIsTheOnlyReplica.class)
@WithTestResource(NodeTestResources.class)
class JobQueueTest {
    public static class TestIsTheOnlyReplica implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livernode.worker.enabled", "false", "livernode.series.check-interval", "24h");
        }
    }

    private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    @Inject
    InstanceIndex index;
    @Inject
    SeriesCompletion completion;
    @Inject
    JobQueue queue;
    @Inject
    AdjustableClock clock;

    @Test
    void oneJobPerSeriesClaimedOnceAndTakenOverAfterTheLease() throws Exception {
        String series = indexedSeries(2);

        // Both "replicas" check completion: only the first queues.
        Instant later = Instant.now().plus(Duration.ofHours(1));
        List<Job> first = completion.queueDueSeries(later, Duration.ofSeconds(1));
        List<Job> second = completion.queueDueSeries(later, Duration.ofSeconds(1));
        assertEquals(1, first.stream().filter(j -> j.seriesUid.equals(series)).count(), "queued once: " + first);
        assertEquals(0, second.stream().filter(j -> j.seriesUid.equals(series)).count(), "not twice: " + second);
        long id = first.stream().filter(j -> j.seriesUid.equals(series)).findFirst().orElseThrow().id;

        Duration lease = Duration.ofMinutes(2);
        Job a = queue.claim(id, "node-a:1", lease).orElseThrow(() -> new AssertionError("node-a claims the queued job"));
        assertEquals(1, a.attempts);
        assertTrue(queue.claim(id, "node-b:2", lease).isEmpty(), "node-b cannot take a job whose lease runs");
        assertTrue(queue.renewLease(id, "node-a:1", lease), "the holder renews its lease");

        clock.advance(lease.plusSeconds(1));  // node-a stops renewing, as if it had died
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

    @Test
    void aDeliveringJobIsClaimedOnceWhenItsAttemptIsDueAndHoldsNoWorkerBetweenAttempts() {
        String series = indexedSeries(1);
        long id = completion.queueDueSeries(Instant.now().plus(Duration.ofHours(1)), Duration.ofSeconds(1)).stream()
                .filter(j -> j.seriesUid.equals(series)).findFirst().orElseThrow().id;
        Duration lease = Duration.ofMinutes(2);
        assertTrue(queue.claim(id, "node-a:1", lease).isPresent());
        assertFalse(queue.startDelivery(id, "node-b:2", "{}"), "only the holder hands its job to delivery");
        assertTrue(queue.startDelivery(id, "node-a:1", "{\"delivery\":{\"status\":\"PENDING\"}}"));
        assertEquals(JobState.DELIVERING, queue.find(id).orElseThrow().getState());

        // The first attempt is due at once, for one node only.
        Job attempt1 = queue.claimDelivery(id, "node-b:2", lease).orElseThrow(() -> new AssertionError("attempt 1 is due"));
        assertEquals(1, attempt1.deliveryAttempts);
        assertTrue(queue.claimDelivery(id, "node-a:1", lease).isEmpty(), "an attempt in progress is not claimed twice");
        assertTrue(queue.claim(id, "node-a:1", lease).isEmpty(), "a DELIVERING job is not segmented again");

        // Failed: the next attempt is due in a minute; until then nobody claims it, and no lease is held.
        Instant next = clock.instant().plus(Duration.ofMinutes(1));
        assertTrue(queue.retryDelivery(id, "node-b:2", next, "attempt 1 of 5: refused", "{}"));
        Job waiting = queue.find(id).orElseThrow();
        assertEquals(JobState.DELIVERING, waiting.getState());
        assertEquals(null, waiting.leaseUntil);
        assertTrue(queue.claimDelivery(id, "node-a:1", lease).isEmpty(), "not due yet");
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        Job attempt2 = queue.claimDelivery(id, "node-a:1", lease).orElseThrow(() -> new AssertionError("attempt 2 is due"));
        assertEquals(2, attempt2.deliveryAttempts);

        // node-a is killed during attempt 2: at its restart it takes the attempt back at once, not after the lease.
        assertEquals(1, queue.releaseOwn("node-a:1"));
        Job attempt3 = queue.claimDelivery(id, "node-a:1", lease).orElseThrow(() -> new AssertionError("taken back"));
        assertEquals(3, attempt3.deliveryAttempts);
        assertFalse(queue.finish(id, "node-b:2", JobState.DONE, null, "{}"), "node-b's attempt is over");
        assertTrue(queue.finish(id, "node-a:1", JobState.DONE, null, "{\"delivery\":{\"status\":\"DELIVERED\"}}"));
        Job done = queue.find(id).orElseThrow();
        assertEquals(JobState.DONE, done.getState());
        assertEquals(null, done.nextAttemptAt);
        assertEquals(3, done.deliveryAttempts);
    }

    /** A CT series of {@code slices} indexed instances (rows only: the queue never reads the files). */
    private String indexedSeries(int slices) {
        String study = Uids.newUid();
        String series = Uids.newUid();
        Instant received = Instant.now();
        for (int k = 1; k <= slices; k++) {
            String sop = Uids.newUid();
            index.index(new ReceivedInstance(study, series, sop, CT_IMAGE_STORAGE, "1.2.840.10008.1.2.1", "CT1",
                    "127.0.0.1", "CT", 1, "queue", k, "ORIGINAL\\PRIMARY\\AXIAL", "0\\0\\" + k, null, "P1", "P^1",
                    "20260101", "queue test", "A1", 100, received, "studies/" + study + "/" + series + "/" + sop + ".dcm"));
        }
        return series;
    }
}
