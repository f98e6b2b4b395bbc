package org.livernode.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.synthetic.SyntheticCtSeries;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long series is segmented in a heap smaller than a float copy of its volume: the segmenter streams slices in
 * batches and keeps only the binary masks. Run in a child JVM so its heap limit is the test's own.
 */
class LongSeriesMemoryTest {

    static final int SLICES = Integer.getInteger("livernode-test.long-series.slices", 1000);
    static final int SIZE = 256;

    @Test
    void aThousandSliceSeriesIsSegmentedInAHeapSmallerThanItsFloatVolume(@TempDir Path temp) throws Exception {
        Path model = TestPipelines.tinyModel(temp.resolve("tiny"));
        long t0 = System.nanoTime();
        SyntheticCtSeries.builder().setSliceCount(SLICES).setRows(SIZE).setColumns(SIZE).setPixelSpacing(1.5, 1.5)
                .setSliceSpacing(1.0).setNoiseSigma(0).write(temp.resolve("ct"));
        System.out.printf("wrote %d slices of %dx%d in %.1f s%n", SLICES, SIZE, SIZE, (System.nanoTime() - t0) / 1e9);

        long floatVolumeMb = (long) SLICES * SIZE * SIZE * Float.BYTES >> 20;
        long heapMb = Math.max(64, floatVolumeMb * 3 / 4);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ExternalTool.Result run = ExternalTool.run(List.of(java, "-Xmx" + heapMb + "m", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), LongSeriesSegmentation.class.getName(),
                model.toString(), temp.resolve("ct").toString(), temp.resolve("seg.dcm").toString()), 600);
        String said = run.stdout() + run.stderr();
        System.out.println("heap limit " + heapMb + " MB, float volume " + floatVolumeMb + " MB: " + run.stdout());
        assertEquals(0, run.exitCode(), said);
        assertTrue(run.stdout().contains("slices=" + SLICES + " frames=" + SLICES), said);
        assertTrue(heapMb < floatVolumeMb, "the heap limit is below the float volume");
    }
}
