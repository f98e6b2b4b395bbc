package org.livernode.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** models/registry.json tells the truth about the model directories beside it. */
class ModelRegistryTest {

    static final Path MODELS = Path.of("models");

    @Test
    void everyRegisteredVersionMatchesItsCardAndWeights() throws Exception {
        JsonNode registry = new ObjectMapper().readTree(MODELS.resolve("registry.json").toFile());
        String defaultName = registry.path("default").asText();
        boolean defaultListed = false;
        for (JsonNode entry : registry.path("models")) {
            Path dir = MODELS.resolve(entry.path("directory").asText());
            ModelCard card = ModelFiles.readCard(dir);
            String sha = ModelFiles.sha256(dir.resolve(card.weightsFile()));
            assertEquals(card.weightsSha256(), sha, dir + ": card and weights disagree");
            assertEquals(sha, entry.path("weightsSha256").asText(), dir + ": registry names other weights than the directory holds");
            assertEquals(card.version(), entry.path("version").asText(), dir + ": registry version");
            assertEquals(card.architecture().name(), entry.path("architecture").asText());
            for (JsonNode earlier : entry.path("history")) {
                assertTrue(!earlier.path("weightsSha256").asText().equals(sha) && earlier.hasNonNull("version"),
                        dir + ": history lists earlier versions only: " + earlier);
            }
            defaultListed |= entry.path("name").asText().equals(defaultName);
        }
        assertTrue(defaultListed, "the default model " + defaultName + " is listed");
        assertTrue(Files.isDirectory(MODELS.resolve(defaultName)));
        String settings = Files.readString(Path.of("src/main/resources/application.properties"));
        assertTrue(settings.contains("livernode.inference.model-dir=${livernode.home}/models/" + defaultName + "\n"),
                "the node loads the registry's default model");
    }
}
