package org.livernode.registry;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.livernode.model.ModelCard;
import org.livernode.model.ModelFiles;
import org.livernode.model.UNetBlock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Test-only: the real bundled model, and copies of it made worse on purpose, and a small LiTS subset. */
public final class TestModels {
    public static final Path BUNDLED = Path.of("models/eas-unet-lits");
    public static final Path LITS = Path.of("../shared/data/lits-slices");

    private TestModels() {
    }

    /**
     * The bundled weights with the fused output's bias lowered by {@code shift} (the network calls less liver),
     * saved with their own SHA-256 in a card naming {@code version}.
     */
    public static Path worse(Path out, String version, float shift) throws IOException {
        ModelCard card = ModelFiles.readCard(BUNDLED);
        try (NDManager manager = NDManager.newBaseManager()) {
            UNetBlock block = new UNetBlock(card.architecture());
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, card.inputSize(), card.inputSize()));
            ModelFiles.loadWeights(block, manager, BUNDLED, card);
            Parameter bias = null;
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getKey().endsWith("fusion_bias")) {
                    bias = p.getValue();
                }
            }
            if (bias == null) {
                throw new IllegalStateException("no fusion bias in the bundled model");
            }
            bias.getArray().subi(shift);
            ModelFiles.save(block, card.withVersion(version), out);
        }
        return out;
    }

    /** The slices of the first {@code cases} LiTS volumes (by name), images and masks, copied to {@code out}. */
    public static Path litsSubset(Path out, int cases) throws IOException {
        Files.createDirectories(out.resolve("images"));
        Files.createDirectories(out.resolve("masks"));
        java.util.List<String> volumes;
        try (Stream<Path> list = Files.list(LITS.resolve("images"))) {
            volumes = list.map(p -> p.getFileName().toString().split("_")[1]).distinct().sorted().limit(cases).toList();
        }
        try (Stream<Path> list = Files.list(LITS.resolve("images"))) {
            for (Path image : list.filter(p -> volumes.contains(p.getFileName().toString().split("_")[1])).toList()) {
                Files.copy(image, out.resolve("images").resolve(image.getFileName()));
                Files.copy(LITS.resolve("masks").resolve(image.getFileName()), out.resolve("masks").resolve(image.getFileName()));
            }
        }
        return out;
    }

    public static boolean litsPresent() {
        return Files.isDirectory(LITS.resolve("images"));
    }
}
