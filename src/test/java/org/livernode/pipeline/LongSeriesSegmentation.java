package org.livernode.pipeline;

import org.livernode.model.LiverPredictor;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Test-only program run in a child JVM with a small heap by {@link LongSeriesMemoryTest}: segments every file of
 * a folder as one series and prints the slices, frames, time and peak heap.
 * Arguments: model directory, series folder, SEG file, batch size.
 */
public final class LongSeriesSegmentation {

    private LongSeriesSegmentation() {
    }

    public static void main(String[] args) throws Exception {
        Path modelDir = Path.of(args[0]);
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args[1]))) {
            files = s.sorted().toList();
        }
        int batch = Integer.parseInt(args[3]);
        long t0 = System.nanoTime();
        CtSeries series = CtSeriesReader.read(files);
        long t1 = System.nanoTime();
        try (LiverPredictor predictor = LiverPredictor.load(modelDir, batch, false)) {
            SegmentationPipeline.Outcome outcome = new SegmentationPipeline(TestPipelines.config(modelDir, batch, false), "test")
                    .run(series, predictor, Path.of(args[2]), done -> { });
            long t2 = System.nanoTime();
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf(Locale.ROOT, "slices=%d frames=%d readSeconds=%.1f segmentSeconds=%.1f inferenceMs=%d segMs=%d "
                            + "maxHeapMb=%d peakHeapMb=%d%n", outcome.slices(), outcome.framesWritten(), (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9, outcome.inferenceMs(), outcome.segMs(), Runtime.getRuntime().maxMemory() >> 20, peak >> 20);
        }
    }
}
