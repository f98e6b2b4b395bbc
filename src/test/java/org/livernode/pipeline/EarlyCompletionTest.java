package org.livernode.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.DicomNode;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.store.JobState;
import org.livernode.testing.AdjustableClock;
import org.livernode.testing.TestStoreScu;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 point 2 with real associations: a series whose association was released and whose slices form a
 * gap-free stack completes at once; a gap, or an association still open, waits for the quiet period (an hour here,
 * passed by moving the clock); a slice arriving after completion makes a new job whose SEG is a later instance of
 * the same SEG series, over every slice.
 */
@QuarkusTest
@WithTestResource(CompletionTestResources.class)
class EarlyCompletionTest {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    @Inject
    DicomNode node;
    @Inject
    SegmentationWorker worker;
    @Inject
    JobQueue queue;
    @Inject
    InstanceStore store;
    @Inject
    AdjustableClock clock;
    @Inject
    ObjectMapper json;

    @TempDir
    Path temp;

    @BeforeEach
    void startNodeAndWorker() {
        node.start();
        worker.start("early-test:" + node.port());
    }

    @Test
    void aReleasedGapFreeSeriesCompletesWithoutTheQuietPeriod() throws Exception {
        SyntheticCtSeries ct = EndToEnd.phantom(12).write(temp.resolve("ct"));
        EndToEnd.send(node, "EARLY", ct.files());
        Job job = JobWaits.finished(queue, ct.seriesInstanceUid(), JOB_TIMEOUT);
        assertEquals(JobState.DONE, job.getState(), "job reason: " + job.reason);
        assertEquals(12, result(job).slices());
    }

    @Test
    void aGapWaitsForTheQuietPeriod() throws Exception {
        SyntheticCtSeries ct = EndToEnd.phantom(14).write(temp.resolve("gap"));
        List<Path> withGap = new ArrayList<>(ct.files());
        withGap.remove(7);
        withGap.remove(6);
        EndToEnd.send(node, "GAPPED", withGap);
        node.checkCompletion();
        assertTrue(queue.latestFor(ct.seriesInstanceUid()).isEmpty(), "released, but two slices are missing");
        clock.advance(CompletionTestResources.QUIET_PERIOD.plusSeconds(1));
        node.checkCompletion();
        Job job = JobWaits.finished(queue, ct.seriesInstanceUid(), JOB_TIMEOUT);
        assertEquals(JobState.DONE, job.getState(), "job reason: " + job.reason);
        assertEquals(12, result(job).slices());
    }

    @Test
    void anAssociationStillOpenWaitsUntilItIsReleased() throws Exception {
        SyntheticCtSeries ct = EndToEnd.phantom(12).write(temp.resolve("open"));
        try (TestStoreScu scu = new TestStoreScu(node.port(), node.aeTitle(), SopClasses.CT_IMAGE_STORAGE,
                "1.2.840.10008.1.2.1")) {
            for (int k = 0; k < ct.sliceCount(); k++) {
                assertEquals(0, scu.store(SopClasses.CT_IMAGE_STORAGE, ct.sopInstanceUid(k),
                        TestStoreScu.dataSetOf(ct.file(k))).status());
            }
            node.checkCompletion();
            assertTrue(queue.latestFor(ct.seriesInstanceUid()).isEmpty(), "every slice is there, but the sender is not done");
        }
        Job job = JobWaits.finished(queue, ct.seriesInstanceUid(), JOB_TIMEOUT);
        assertEquals(JobState.DONE, job.getState(), "released: complete at once; job reason: " + job.reason);
    }

    @Test
    void aLateSliceMakesANewSegThatSupersedesTheFirst() throws Exception {
        SyntheticCtSeries ct = EndToEnd.phantom(13).write(temp.resolve("late"));
        List<Path> first = ct.files().subList(0, 12); // the last slice comes late: the stack looks whole without it
        EndToEnd.send(node, "LATE", first);
        Job firstJob = JobWaits.finished(queue, ct.seriesInstanceUid(), JOB_TIMEOUT);
        assertEquals(JobState.DONE, firstJob.getState(), "job reason: " + firstJob.reason);

        EndToEnd.send(node, "LATE", List.of(ct.file(12)));
        node.checkCompletion();
        // One slice on its own association is under livernode.selection.min-slices: the quiet period decides.
        assertEquals(firstJob.id, queue.latestFor(ct.seriesInstanceUid()).orElseThrow().id);
        clock.advance(CompletionTestResources.QUIET_PERIOD.plusSeconds(1));
        node.checkCompletion();
        Job secondJob = JobWaits.until(queue, ct.seriesInstanceUid(), j -> j.id != firstJob.id && !j.getState().isOpen(),
                "a second finished job", JOB_TIMEOUT);
        assertEquals(JobState.DONE, secondJob.getState(), "job reason: " + secondJob.reason);

        JobResult before = result(firstJob);
        JobResult after = result(secondJob);
        assertEquals(before.segSeriesInstanceUid(), after.segSeriesInstanceUid(), "one SEG series per CT series");
        assertNotEquals(before.segSopInstanceUid(), after.segSopInstanceUid(), "a new instance, not a changed one");
        DecodedSegmentation firstSeg = SegmentationReader.read(store.resolve(before.segPath()));
        DecodedSegmentation secondSeg = SegmentationReader.read(store.resolve(after.segPath()));
        assertEquals(12, firstSeg.frames().size());
        assertEquals(13, secondSeg.frames().size(), "the new SEG covers every slice, the late one too");
        assertEquals(new HashSet<>(ct.files().stream().map(f -> f.getFileName().toString()).toList()).size(),
                secondSeg.masksByReferencedSopInstanceUid(1).size());
        assertTrue(secondSeg.masksByReferencedSopInstanceUid(1).containsKey(ct.sopInstanceUid(12)));
    }

    private JobResult result(Job job) {
        return JobResult.read(json, queue.find(job.id).orElseThrow().resultJson);
    }
}
