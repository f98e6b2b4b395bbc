package org.livernode.training;

import org.livernode.model.ModelArchitecture;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only child process of {@link TrainingMemoryTest}: one whole training run in this process (args: output dir,
 * epochs), printing {@code rss-mb EPOCH STEPS MB cpu-s SECONDS} after every epoch from /proc/self/status. Synthetic discs at
 * 64x64, 48x48 crops, width 4, batch 4: every epoch trains 10 steps, validates and writes a checkpoint, the
 * pattern of a real run at a size that runs in seconds. Also prints the CPU seconds so far (allocator settings
 * trade memory for CPU).
 */
public final class TrainingMemoryProbe {

    static final int SIZE = 64;
    static final int STEPS_PER_EPOCH = 10;

    private TrainingMemoryProbe() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int epochs = Integer.parseInt(args[1]);
        List<LabelledSlice> slices = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            for (int k = 0; k < 4; k++) {
                slices.add(TrainingRunTest.disc("case-" + c, SIZE, 20 + 2 * c, 24 + 3 * k, 9 + k));
            }
        }
        CaseSplit split = CaseSplit.of(slices, 42, 10 / 12.0);
        TrainingOptions options = TrainingOptions.builder().setArchitecture(ModelArchitecture.easUnet(4)).setOutput(out)
                .optBatchSize(4).optInputSize(SIZE).optCropSize(48).optLearningRate(0.05f).optEpochs(epochs).build();
        int[] epoch = {0};
        PrintStream progress = new PrintStream(OutputStream.nullOutputStream()) {
            @Override
            public void println(String line) {
                if (line.startsWith("epoch ")) {
                    epoch[0]++;
                    System.out.printf("rss-mb %d %d %d cpu-s %.1f%n", epoch[0], epoch[0] * STEPS_PER_EPOCH, residentMb(),
                            cpuSeconds());
                }
            }
        };
        System.out.printf("rss-mb 0 0 %d%n", residentMb());
        new SegmentationTraining(options, progress).run("synthetic discs", split);
    }

    /** CPU seconds of this process so far (user + system, from /proc/self/stat; ticks of 1/100 s). */
    static double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static long residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
