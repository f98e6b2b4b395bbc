package org.livernode.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.model.ModelFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/livernode train} runs a long training as a chain of processes (native memory is only given back when
 * a process ends): with one epoch per process, a 3-epoch run takes three processes, each resuming the last
 * checkpoint, and ends with exit code 0 and one history of 3 epochs.
 */
class TrainChainIT {

    private static final int SIZE = 256;

    @Test
    void trainRunsAsAChainOfResumingProcesses(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("slices");
        Files.createDirectories(data.resolve("images"));
        Files.createDirectories(data.resolve("masks"));
        for (int volume = 1; volume <= 5; volume++) {
            for (int slice = 0; slice < 2; slice++) {
                String name = "flipped_" + (20000 + volume) + "_" + slice + ".jpg";
                writeDisc(data.resolve("images").resolve(name), 40 + 8 * volume, 160, 30);
                writeDisc(data.resolve("masks").resolve(name), 40 + 8 * volume, 255, 0);
            }
        }
        Path out = dir.resolve("model");
        Path log = dir.resolve("train.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of("bin/livernode").toAbsolutePath().toString(), "train",
                "--data", "lits-slices:" + data, "--arch", "eas", "--base-width", "4", "--epochs", "3",
                "--batch-size", "2", "--crop-size", "64", "--output", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LIVERNODE_TRAIN_EPOCHS_PER_PROCESS", "1");
        pb.environment().put("LIVERNODE_DATA_DIR", dir.resolve("node-data").toString());
        Process process = pb.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly); // the chain's java process
            process.destroyForcibly();
            throw new AssertionError("training did not end in 5 minutes: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        assertEquals(2, text.split("training continues in a new process", -1).length - 1, text);
        assertTrue(text.contains("resumed after epoch 1") && text.contains("resumed after epoch 2"), text);
        assertTrue(text.contains("epoch 3/3") && text.contains("done: 3 epochs"), text);

        JsonNode history = new ObjectMapper().readTree(out.resolve("training-history.json").toFile());
        assertEquals(3, history.path("epochsDone").asInt());
        assertEquals(3, history.path("history").size());
        ModelFiles.readCard(out); // the kept epoch's model is complete
    }

    /** A bright disc on a dark background (grey values as in lits-slices: HU clipped to [0, 255]). */
    private static void writeDisc(Path file, int radius, int inside, int background) throws Exception {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        for (int r = 0; r < SIZE; r++) {
            for (int c = 0; c < SIZE; c++) {
                boolean in = (r - 128) * (r - 128) + (c - 110) * (c - 110) <= radius * radius;
                image.getRaster().setSample(c, r, 0, in ? inside : background);
            }
        }
        ImageIO.write(image, "jpg", file.toFile());
    }
}
