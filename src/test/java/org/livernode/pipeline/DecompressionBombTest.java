package org.livernode.pipeline;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.DicomNode;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.store.JobState;
import org.livernode.testing.Dcmtk;
import org.livernode.testing.ProcessMemory;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A decompression bomb through the node: a 10-slice RLE series whose headers declare 30000x30000 pixels (once 6 GB of
 * RSS before the jobs failed) is received, and its job FAILS from the header with the rule and the size, while the
 * node's RSS stays bounded.
 */
@QuarkusTest
@WithTestResource(PipelineTestResources.class)
class DecompressionBombTest {

    @Inject
    DicomNode node;
    @Inject
    SegmentationWorker worker;
    @Inject
    JobQueue queue;

    @Test
    void aSeriesDeclaringThirtyThousandSquaredPixelsFailsFromItsHeaderWithRssBounded(@TempDir Path temp) throws Exception {
        node.start();
        worker.start("bomb-test:" + node.port());
        SyntheticCtSeries ct = SyntheticCtSeries.builder().setSliceCount(10).setRows(64).setColumns(64)
                .write(temp.resolve("ct"));
        for (Path f : ct.files()) {
            Dcmtk.rleDeclaring(f, 30000);
        }
        long rssBefore = ProcessMemory.rssBytes();
        Dcmtk.Result sent = Dcmtk.storescu(node.aeTitle(), node.port(), java.util.List.of("--propose-rle"), ct.files());
        assertEquals(10, sent.count("Received Store Response (Success)"), "received whole, kept: " + sent.output());
        Job job = JobWaits.finished(queue, ct.seriesInstanceUid(), Duration.ofMinutes(3));
        long growth = ProcessMemory.rssBytes() - rssBefore;
        assertEquals(JobState.FAILED, job.getState(), job.reason);
        assertTrue(job.reason.contains("Rows and Columns at most 8192") && job.reason.contains("30000x30000 pixels")
                && job.reason.contains("not decoded"), job.reason);
        assertTrue(growth < 512L << 20, "RSS grew by " + (growth >> 20) + " MiB");
    }
}
