package org.livernode.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.synthetic.SyntheticCtSeries;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long series is segmented in a heap smaller than a float copy of its volume: the segmenter streams slices in
 * batches and keeps only the binary masks. Run in a child JVM so its heap limit is the test's own. 1000 slices of
 * 256x256 (float volume 250 MB) in a 187 MB heap, with a tiny real model so inference stays short (about 50 s in
 * all on 2 busy cores); {@code -Dlivernode-test.long-series.slices=N} changes the length.
 */
class LongSeriesMemoryTest {

    static final int SLICES = Integer.getInteger("livernode-test.long-series.slices", 1000);
    static final int SIZE = 256;

    @Test
    void aLongSeriesIsSegmentedInAHeapSmallerThanItsFloatVolume(@TempDir Path temp) throws Exception {
        Path model = TestPipelines.tinyModel(temp.resolve("tiny"));
        long t0 = System.nanoTime();
        SyntheticCtSeries.builder().setSliceCount(SLICES).setRows(SIZE).setColumns(SIZE).setPixelSpacing(1.5, 1.5)
                .setSliceSpacing(1.0).setNoiseSigma(0).write(temp.resolve("ct"));
        System.out.printf("wrote %d slices of %dx%d in %.1f s%n", SLICES, SIZE, SIZE, (System.nanoTime() - t0) / 1e9);

        long floatVolumeMb = (long) SLICES * SIZE * SIZE * Float.BYTES >> 20;
        long heapMb = Math.max(64, floatVolumeMb * 3 / 4);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The class path goes in an argument file: started with a command line of Maven's whole class path (~32 KB),
        // ONNX Runtime's native start overflows the main thread's stack (SIGSEGV, exit 139); bench/inference.sh does the same.
        Path classPath = temp.resolve("classpath.args");
        Files.writeString(classPath, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        ProcessBuilder child = new ProcessBuilder(java, "-Xmx" + heapMb + "m", "-Dai.djl.offline=true",
                "@" + classPath, LongSeriesSegmentation.class.getName(),
                model.toString(), temp.resolve("ct").toString(), temp.resolve("seg.dcm").toString(), "32")
                .redirectErrorStream(true).redirectOutput(temp.resolve("child.log").toFile());
        // One libtorch thread: on a busy machine spinning OpenMP workers cost more than they give to a tiny model.
        child.environment().put("OMP_NUM_THREADS", "1");
        Process process = child.start();
        // output goes to a file, so the time limit can fire (reading a pipe to its end would wait for the child)
        boolean finished = process.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String said = Files.readString(temp.resolve("child.log"), StandardCharsets.UTF_8);
        assertTrue(finished, "the child JVM finishes in 10 minutes: " + said);
        String summary = said.lines().filter(l -> l.startsWith("slices=")).findFirst().orElse("");
        System.out.println("heap limit " + heapMb + " MB, float volume " + floatVolumeMb + " MB: " + summary);
        assertEquals(0, process.exitValue(), said);
        assertTrue(summary.startsWith("slices=" + SLICES + " frames=" + SLICES), said);
        assertTrue(heapMb < floatVolumeMb, "the heap limit is below the float volume");
    }
}
