package org.livernode.training;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One process trains a whole run (30 epochs of 10 steps, with validation and a checkpoint each) under the launcher's
 * allocator (jemalloc with bin/livernode's MALLOC_CONF, when installed): its resident memory after warm-up must stay
 * bounded, or a long run would need the chain of processes bin/livernode starts.
 */
class TrainingMemoryTest {

    static final Path JEMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
    static final int EPOCHS = 30;

    @TempDir
    Path out;

    @Test
    @Disabled("issue #12 point 4 not fixed yet: RSS grows ~7 MB a step under the launcher's MALLOC_CONF (490 MB at step 50, "
            + "2320 MB at step 300); enable once the cause is fixed")
    void oneProcessTrainsThreeHundredStepsWithinBoundedMemory() throws Exception {
        String conf = System.getenv().getOrDefault("LIVERNODE_TEST_MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1");
        List<long[]> rss = probe(conf);
        assertEquals(EPOCHS + 1, rss.size(), "one RSS line per epoch and one at the start");
        long warm = rss.get(5)[2];
        long end = rss.get(EPOCHS)[2];
        System.out.printf("training memory (MALLOC_CONF %s): epoch 5 %d MB, epoch %d %d MB, growth %d MB over %d steps%n",
                conf, warm, EPOCHS, end, end - warm, (EPOCHS - 5) * TrainingMemoryProbe.STEPS_PER_EPOCH);
        assertTrue(end - warm < 300, "RSS grew " + (end - warm) + " MB between epoch 5 and " + EPOCHS + ": " + rss.stream()
                .map(r -> Long.toString(r[2])).toList());
    }

    private List<long[]> probe(String mallocConf) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                TrainingMemoryProbe.class.getName(), out.toString(), Integer.toString(EPOCHS));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (Files.isRegularFile(JEMALLOC)) {
            builder.environment().put("LD_PRELOAD", JEMALLOC.toString());
            builder.environment().put("MALLOC_CONF", mallocConf);
        }
        builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process process = builder.start();
        List<long[]> rss = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                System.out.println("probe: " + line);
                if (line.startsWith("rss-mb ")) {
                    String[] f = line.split(" ");
                    rss.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
                }
            }
        }
        assertEquals(0, process.waitFor(), "the probe process failed");
        return rss;
    }
}
