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
            assertProvenance(dir, card);
            assertFigures(dir, card, entry.path("validation"));
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

    /** The card says what code, data and split made the weights, and every stage from random weights to them. */
    private static void assertProvenance(Path dir, ModelCard card) {
        assertTrue(card.codeVersion() != null && card.codeVersion().startsWith("git "), dir + ": code version " + card.codeVersion());
        for (String key : java.util.List.of("data", "split", "splitSeed", "trainFraction", "validationCases", "stages")) {
            assertTrue(card.training().get(key) != null, dir + ": the card's training record lacks " + key);
        }
        java.util.List<?> stages = (java.util.List<?>) card.training().get("stages");
        assertTrue(stages.get(0).toString().contains("from random weights"), dir + ": the first stage starts from random weights: " + stages);
    }

    /** The registry's validation figures are those of the evaluate --json outputs kept beside the weights. */
    private static void assertFigures(Path dir, ModelCard card, JsonNode validation) throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String[] figure : new String[][] {{"validation.json", "pooledDsc", "pooledDsc"},
                {"validation.json", "perCaseDsc", "meanOverCases/dsc"}, {"validation-tta.json", "pooledDscTta", "pooledDsc"},
                {"validation-tta.json", "perCaseDscTta", "meanOverCases/dsc"}}) {
            JsonNode evaluation = json.readTree(dir.resolve("evaluation").resolve(figure[0]).toFile());
            assertEquals(card.weightsSha256(), evaluation.path("weightsSha256").asText(), dir + "/evaluation/" + figure[0] + " scored other weights");
            assertEquals(evaluation.at("/" + figure[2]).asDouble(), validation.path(figure[1]).asDouble(), 5e-5,
                    dir + ": registry " + figure[1] + " against evaluation/" + figure[0]);
        }
    }
}
