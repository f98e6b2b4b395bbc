package org.livernode.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;
import org.livernode.dicom.vocabulary.RemoteAe;
import org.livernode.model.InferenceEngine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settings are read into {@link LivernodeConfig} when the configuration is built, which Quarkus does before
 * anything starts: a wrong destination, known AE or AE title stops the node with a message naming the setting and
 * the value, instead of failing a job after its inference.
 */
class SettingsAtStartTest {

    private static SmallRyeConfig build(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withMapping(LivernodeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // "2s", as Quarkus reads it
                .withDefaultValue("livernode.viewer.dir", "viewer/ohif")
                .withDefaultValue("livernode.inference.model-dir", "models/eas-unet-lits")
                .withSources(new io.smallrye.config.PropertiesConfigSource(values, "test", 500))
                .build();
    }

    @Test
    void remoteAesAreParsedWhenTheConfigurationIsBuilt() {
        LivernodeConfig config = build(Map.of("livernode.destination", "PACS@127.0.0.1:104",
                "livernode.known-aes", "CT1@10.0.0.7:11112,CT2@[::1]:4242")).getConfigMapping(LivernodeConfig.class);
        assertEquals(new RemoteAe("PACS", "127.0.0.1", 104), config.destination().orElseThrow());
        assertEquals(List.of(new RemoteAe("CT1", "10.0.0.7", 11112), new RemoteAe("CT2", "::1", 4242)),
                config.knownAes().orElseThrow());
        assertTrue(build(Map.of()).getConfigMapping(LivernodeConfig.class).destination().isEmpty());
    }

    @Test
    void aWrongDestinationStopsTheStartWithTheSettingAndTheValue() {
        for (Map<String, String> wrong : List.of(Map.of("livernode.destination", "PACS@pacs"),
                Map.of("livernode.known-aes", "CT1@10.0.0.7:11112,NOPORT@host"),
                Map.of("livernode.dicom.ae-title", "A_TITLE_LONGER_THAN_16"),
                Map.of("livernode.inference.threshold", "1.5"), Map.of("livernode.inference.threshold", "half"),
                Map.of("livernode.models.promotion-margin", "-0.01"), Map.of("livernode.models.promotion-margin", "1.5"),
                Map.of("livernode.models.promotion-margin", "lots"), Map.of("livernode.inference.engine", "tensorflow"))) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> build(wrong));
            String key = wrong.keySet().iterator().next();
            String message = allMessages(e);
            assertTrue(message.contains(key) && message.contains(wrong.get(key).split(",")[wrong.get(key).split(",").length - 1]),
                    "message names " + key + " and the value: " + message);
        }
    }

    @Test
    void outputsPerDestinationAreKeyedByAeTitleAndCheckedAtStart() {
        LivernodeConfig config = build(Map.of("livernode.outputs", "seg,overlay",
                "livernode.outputs-for.\"PACS 1\"", "seg,sr", "livernode.outputs-for.RIS", "sr"))
                .getConfigMapping(LivernodeConfig.class);
        assertEquals(List.of(LivernodeConfig.Output.SEG, LivernodeConfig.Output.OVERLAY), config.outputs());
        assertEquals(Map.of("PACS 1", List.of(LivernodeConfig.Output.SEG, LivernodeConfig.Output.SR),
                "RIS", List.of(LivernodeConfig.Output.SR)), config.outputsFor());
        assertTrue(build(Map.of()).getConfigMapping(LivernodeConfig.class).outputsFor().isEmpty());

        for (Map<String, String> wrong : List.of(Map.of("livernode.outputs-for.RIS", "sr,rtstruct"),
                Map.of("livernode.outputs", "seg,pdf"),
                Map.of("livernode.outputs-for.\"A_TITLE_LONGER_THAN_16\"", "sr"))) {
            String message = allMessages(assertThrows(RuntimeException.class, () -> build(wrong)));
            String key = wrong.keySet().iterator().next();
            String value = key.contains("LONGER") ? "A_TITLE_LONGER_THAN_16" : wrong.get(key).split(",")[1];
            assertTrue(message.contains(value), "message names the value " + value + ": " + message);
        }
    }

    @Test
    void theThresholdIsTheModelCardsUnlessSet() {
        assertTrue(build(Map.of()).getConfigMapping(LivernodeConfig.class).inference().threshold().isEmpty());
        assertEquals(0.4, build(Map.of("livernode.inference.threshold", "0.4")).getConfigMapping(LivernodeConfig.class)
                .inference().threshold().orElseThrow());
    }

    @Test
    void thePromotionMarginIsHalfADicePointUnlessSet() {
        assertEquals(0.005, build(Map.of()).getConfigMapping(LivernodeConfig.class).models().promotionMargin());
        assertEquals(0.0, build(Map.of("livernode.models.promotion-margin", "0")).getConfigMapping(LivernodeConfig.class)
                .models().promotionMargin());
    }

    @Test
    void theInferenceEngineIsOnnxRuntimeUnlessSet() {
        assertEquals(InferenceEngine.ONNXRUNTIME, build(Map.of()).getConfigMapping(LivernodeConfig.class).inference().engine());
        assertEquals(InferenceEngine.PYTORCH, build(Map.of("livernode.inference.engine", "pytorch"))
                .getConfigMapping(LivernodeConfig.class).inference().engine());
    }

    private static String allMessages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append(" | ");
        }
        return b.toString();
    }
}
