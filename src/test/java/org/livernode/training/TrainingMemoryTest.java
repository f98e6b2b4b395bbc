package org.livernode.training;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One process trains a whole run (30 epochs of 10 steps, with validation and a checkpoint each) under the launcher's
 * allocator (jemalloc with the MALLOC_CONF bin/livernode sets, when installed): its resident memory after warm-up must
 * stay flat. With jemalloc's default extent fit and no decay it grew ~7 MB a step without levelling off (1,196 MB at
 * step 150, 2,244 MB at step 300; issue #12 point 4); with the launcher's lg_extent_max_active_fit it stays at its
 * step-120 level.
 */
class TrainingMemoryTest {

    static final Path JEMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
    static final int EPOCHS = 30;
    /** Warm-up: the JVM's heap and jemalloc's caches fill within the first ~120 steps, with or without the growth. */
    static final int WARM_EPOCHS = 15;

    @TempDir
    Path out;

    @Test
    void oneProcessTrainsThreeHundredStepsWithinBoundedMemory() throws Exception {
        String conf = launcherMallocConf();
        List<long[]> rss = probe(conf);
        assertEquals(EPOCHS + 1, rss.size(), "one RSS line per epoch and one at the start");
        long warm = rss.get(WARM_EPOCHS)[2];
        long end = rss.get(EPOCHS)[2];
        System.out.printf("training memory (MALLOC_CONF %s): epoch %d %d MB, epoch %d %d MB, growth %d MB over %d steps%n",
                conf, WARM_EPOCHS, warm, EPOCHS, end, end - warm, (EPOCHS - WARM_EPOCHS) * TrainingMemoryProbe.STEPS_PER_EPOCH);
        assertTrue(end - warm < 100, "RSS grew " + (end - warm) + " MB between epoch " + WARM_EPOCHS + " and " + EPOCHS + ": "
                + rss.stream().map(r -> Long.toString(r[2])).toList());
    }

    /** The default MALLOC_CONF of bin/livernode (LIVERNODE_TEST_MALLOC_CONF overrides it, to measure another). */
    static String launcherMallocConf() throws IOException {
        String override = System.getenv("LIVERNODE_TEST_MALLOC_CONF");
        if (override != null) {
            return override;
        }
        Matcher m = Pattern.compile("MALLOC_CONF=\"\\$\\{MALLOC_CONF:-([^}\"]+)\\}\"").matcher(Files.readString(Path.of("bin/livernode")));
        assertTrue(m.find(), "bin/livernode sets no default MALLOC_CONF");
        return m.group(1);
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
