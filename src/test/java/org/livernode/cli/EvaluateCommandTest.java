package org.livernode.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.training.CaseSplit;
import org.livernode.training.DataSpec;
import org.livernode.training.LabelledSlice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code livernode evaluate} as a user runs it: the bundled model on the real validation slices. */
@QuarkusMainTest
class EvaluateCommandTest {

    static final Path LITS = Path.of("../shared/data/lits-slices");

    @TempDir
    Path temp;

    @Test
    void scoresOnlySlicesWithEnoughLiverAfterTheCleanUp(QuarkusMainLauncher launcher) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(LITS.resolve("images")),
                "skipped: real data " + LITS.toAbsolutePath() + " absent (CI lays out shared/ beside the clone)");
        List<LabelledSlice> validation = CaseSplit.of(DataSpec.parse("lits-slices:" + LITS).load(), 42, 0.8).validation();
        long enoughLiver = validation.stream().filter(s -> s.liverPixels() >= 0.015 * s.rows() * s.columns()).count();
        assertTrue(enoughLiver > 0 && enoughLiver < validation.size(), enoughLiver + " of " + validation.size());

        Path json = temp.resolve("evaluation.json");
        LaunchResult r = launcher.launch("evaluate", "--model", "models/eas-unet-lits", "--data", "lits-slices:" + LITS,
                "--split", "val", "--min-liver-fraction", "0.015", "--postprocess", "--json", json.toString());
        String said = r.getOutput() + r.getErrorOutput();
        assertEquals(0, r.exitCode(), said);
        assertTrue(said.contains((validation.size() - enoughLiver) + " of " + validation.size()
                + " slices have liver on under 1.5 % of the slice: not scored"), said);
        JsonNode result = new ObjectMapper().readTree(json.toFile());
        assertEquals(enoughLiver, result.get("slices").asLong());
        assertEquals(0.015, result.get("minLiverFraction").asDouble(), 1e-9);
        assertTrue(result.get("postprocessing").asText().contains("largest connected region"), result.toString());
        long scored = 0;
        for (JsonNode c : result.get("cases")) {
            scored += c.get("slices").asLong();
        }
        assertEquals(enoughLiver, scored, "the cases add up to the slices scored");
        assertTrue(result.get("meanOverCases").get("dsc").asDouble() > 0.85, "mean DSC over cases: " + result.get("meanOverCases"));
    }

    @Test
    void aFractionOutsideZeroToOneIsRefused(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("evaluate", "--model", "models/eas-unet-lits", "--data", "lits-slices:" + LITS,
                "--min-liver-fraction", "1.5");
        assertEquals(2, r.exitCode());
        assertTrue(r.getErrorOutput().contains("--min-liver-fraction must be in [0, 1], found 1.5"), r.getErrorOutput());
    }

    @Test
    void anUnknownEngineIsRefused(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("evaluate", "--model", "models/eas-unet-lits", "--data", "lits-slices:" + LITS,
                "--engine", "tensorflow");
        assertEquals(2, r.exitCode());
        assertTrue(r.getErrorOutput().contains("--engine must be pytorch or onnxruntime, found tensorflow"), r.getErrorOutput());
    }
}
