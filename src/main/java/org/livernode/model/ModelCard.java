package org.livernode.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code model-card.json} beside the weights: what the network is, how its input is made, how it was trained
 * and how well it did. {@link LiverPredictor} rebuilds the network and the input mapping from it alone.
 *
 * @param parameterCount trainable parameters (batch-norm running statistics excluded)
 * @param training description of data, split, optimiser, schedule, augmentation, epochs (free-form, documented keys)
 * @param metrics  validation metrics of the kept epoch (e.g. "val_dsc_pooled", "val_dsc_mean_slice")
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(String name, String version, ModelArchitecture architecture, long parameterCount,
                        long multiplyAccumulatesPerSlice, long flopsPerSlice, int inputSize,
                        IntensityMapping intensityMapping, float threshold, boolean testTimeAugmentation,
                        Map<String, Object> training, Map<String, Double> metrics, String date, String codeVersion,
                        String weightsFile, String weightsSha256) {

    public static final String FILE_NAME = "model-card.json";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public ModelCard {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("model card name must not be blank");
        }
        if (architecture == null) {
            throw new IllegalArgumentException("model card architecture is missing");
        }
        if (intensityMapping == null) {
            throw new IllegalArgumentException("model card intensityMapping is missing (the HU-to-input mapping must be stored)");
        }
        architecture.checkInputSize(inputSize);
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("model card threshold must be in (0, 1), found " + threshold);
        }
        training = training == null ? Map.of() : training;
        metrics = metrics == null ? Map.of() : metrics;
    }

    public static ModelCard read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), ModelCard.class);
    }

    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public String toJson() throws IOException {
        return JSON.writeValueAsString(this);
    }

    public ModelCard withWeights(String file, String sha256) {
        return new ModelCard(name, version, architecture, parameterCount, multiplyAccumulatesPerSlice, flopsPerSlice,
                inputSize, intensityMapping, threshold, testTimeAugmentation, training, metrics, date, codeVersion, file, sha256);
    }

    /** The same model under another version name (the registry's: the name every output of this model carries). */
    public ModelCard withVersion(String newVersion) {
        return new ModelCard(name, newVersion, architecture, parameterCount, multiplyAccumulatesPerSlice, flopsPerSlice,
                inputSize, intensityMapping, threshold, testTimeAugmentation, training, metrics, date, codeVersion, weightsFile,
                weightsSha256);
    }

    public ModelCard withTestTimeAugmentation(boolean on) {
        return new ModelCard(name, version, architecture, parameterCount, multiplyAccumulatesPerSlice, flopsPerSlice,
                inputSize, intensityMapping, threshold, on, training, metrics, date, codeVersion, weightsFile, weightsSha256);
    }
}
