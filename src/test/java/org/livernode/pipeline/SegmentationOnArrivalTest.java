package org.livernode.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.DicomNode;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.segmentation.LiverModel;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.store.JobState;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 point 1: slices segmented as they arrive give the SEG the series gets without it (a direct run of the
 * pipeline over the whole series), also when the node restarts mid-series and the masks kept so far are lost.
 * Half of a 20-slice phantom (slices 0-4 and 10-14: a gap, so it does not complete) is sent with storescu and
 * segmented on arrival, then the other half, which completes it at once.
 */
@QuarkusTest
@WithTestResource(CompletionTestResources.class)
class SegmentationOnArrivalTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Inject
    DicomNode node;
    @Inject
    SegmentationWorker worker;
    @Inject
    ArrivalSegmentation onArrival;
    @Inject
    JobQueue queue;
    @Inject
    InstanceStore store;
    @Inject
    LivernodeConfig config;
    @Inject
    LiverModel model;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    @TempDir
    Path temp;

    @BeforeEach
    void start() {
        node.start();
        worker.start("arrival-test:" + node.port());
    }

    @AfterEach
    void stop() {
        worker.stop();
        node.stop();
    }

    @Test
    void slicesSegmentedOnArrivalGiveTheSegOfTheWholeSeries() throws Exception {
        SyntheticCtSeries ct = EndToEnd.phantom(20).write(temp.resolve("ct"));
        sendFirstHalfAndAwaitItsMasks(ct);
        EndToEnd.send(node, "ARRIVAL", secondHalf(ct));
        assertSameAsWithoutSegmentationOnArrival(ct);
    }

    @Test
    void aRestartMidSeriesStillGivesOneSegEqualToTheWholeSeries() throws Exception {
        SyntheticCtSeries ct = EndToEnd.phantom(20).write(temp.resolve("restart"));
        sendFirstHalfAndAwaitItsMasks(ct);
        worker.stop();
        node.stop();
        onArrival.forget(); // held in memory only: a restarted process has none
        node.start();
        worker.start("arrival-test:" + node.port());
        EndToEnd.send(node, "ARRIVAL", secondHalf(ct));
        assertSameAsWithoutSegmentationOnArrival(ct);
    }

    private void sendFirstHalfAndAwaitItsMasks(SyntheticCtSeries ct) throws Exception {
        int before = onArrival.masksHeld();
        List<Path> first = new ArrayList<>(ct.files().subList(0, 5));
        first.addAll(ct.files().subList(10, 15));
        EndToEnd.send(node, "ARRIVAL", first);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (onArrival.masksHeld() < before + first.size() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(before + first.size(), onArrival.masksHeld(), "each slice of the first half segmented on arrival");
        node.checkCompletion();
        assertTrue(queue.latestFor(ct.seriesInstanceUid()).isEmpty(), "half a series with a gap is not complete");
    }

    private static List<Path> secondHalf(SyntheticCtSeries ct) {
        List<Path> second = new ArrayList<>(ct.files().subList(5, 10));
        second.addAll(ct.files().subList(15, 20));
        return second;
    }

    private void assertSameAsWithoutSegmentationOnArrival(SyntheticCtSeries ct) throws Exception {
        Job job = JobWaits.finished(queue, ct.seriesInstanceUid(), TIMEOUT);
        assertEquals(JobState.DONE, job.getState(), "job reason: " + job.reason);
        JobResult result = JobResult.read(json, queue.find(job.id).orElseThrow().resultJson);
        DecodedSegmentation seg = SegmentationReader.read(store.resolve(result.segPath()));
        Map<String, byte[]> masks = seg.masksByReferencedSopInstanceUid(1);

        CtSeries volume = CtSeriesReader.read(ct.files());
        SegmentationPipeline.Outcome direct = new SegmentationPipeline(config, version)
                .run(volume, model.predictor(), temp.resolve("direct.dcm"), done -> { });
        assertEquals(20, masks.size());
        for (int k = 0; k < volume.sliceCount(); k++) {
            String uid = volume.sopInstanceUids().get(k);
            assertArrayEquals(direct.masks()[k], masks.get(uid), "slice " + k + " (" + uid + ")");
        }
        assertTrue(direct.liverVoxels() > 0, "the model finds liver in the phantom");
        assertEquals(Math.round(direct.liverMl() * 10) / 10.0, result.liverMl(), 1e-9);
        assertEquals(1, queue.latestFor(ct.seriesInstanceUid()).map(j -> j.id == job.id ? 1 : 0).orElse(0),
                "one job for the series");
    }
}
