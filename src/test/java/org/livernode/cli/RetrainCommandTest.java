package org.livernode.cli;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.livernode.corrections.CorrectionSegs;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.model.ModelFiles;
import org.livernode.registry.ModelRegistry;
import org.livernode.registry.RegistryFile;
import org.livernode.registry.TestModels;
import org.livernode.store.InstanceStore;
import org.livernode.testing.AuditLines;
import org.livernode.training.LocalHoldout;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code livernode retrain} as a CronJob runs it, kept tiny: radiologists' corrections of phantom series in the
 * node's store (at least one case for training, one the hold-out rule keeps for the gate) and 5 LiTS volumes; one
 * epoch of the real network on 12 slices from the active model; the candidate is registered, gated on both sets
 * and decided, the table printed, the decision logged; {@code models list} shows it.
 */
@QuarkusMainTest
@TestProfile(RetrainCommandTest.Node.class)
class RetrainCommandTest {

    /** A data directory and a LiTS subset made before the application starts. */
    public static class Node implements QuarkusTestProfile {
        static final Path ROOT;

        static {
            try {
                ROOT = Files.createTempDirectory("livernode-retrain-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livernode.data-dir", ROOT.resolve("data").toString(),
                    "livernode.models.validation-data", "lits-slices:" + ROOT.resolve("lits"));
        }
    }

    @Test
    void aTinyRetrainOnLocalCorrectionsIsGatedAndRecorded(QuarkusMainLauncher launcher) throws Exception {
        Assumptions.assumeTrue(TestModels.litsPresent(), "skipped: real data " + TestModels.LITS.toAbsolutePath() + " absent");
        TestModels.litsSubset(Node.ROOT.resolve("lits"), 5);
        Path data = Node.ROOT.resolve("data");
        int[] sides = correctedCases(data);
        assertTrue(sides[0] > 0 && sides[1] > 0, "cases for training and held out: " + sides[0] + ", " + sides[1]);

        LaunchResult r = launcher.launch("retrain", "--epochs", "1", "--max-train-slices", "12", "--batch-size", "4",
                "--version", "tiny-1", "--by", "cron-test");
        String said = r.getOutput() + r.getErrorOutput();
        assertTrue(r.exitCode() == 0 || r.exitCode() == 1, said);
        assertTrue(said.contains(sides[0] + " for training, " + sides[1] + " held out for the gate"), said);
        assertTrue(said.contains("candidate tiny-1") && said.contains("margin 0.0050"), said);

        ModelRegistry registry = new ModelRegistry(data, TestModels.BUNDLED);
        RegistryFile file = registry.read();
        assertEquals("tiny-1", ModelFiles.readCard(registry.dirOf(file, "tiny-1")).version());
        RegistryFile.LogEntry decision = file.log().get(file.log().size() - 1);
        assertEquals("tiny-1", decision.version());
        assertEquals("cron-test", decision.by());
        assertEquals(r.exitCode() == 0 ? "promoted" : "refused", decision.action(), said);
        assertEquals(1, decision.figures().get(0).cases(), "one LiTS validation volume of 5: " + decision.figures());
        assertEquals(sides[1], decision.figures().get(1).cases(), "the held-out corrected cases: " + decision.figures());
        assertTrue(decision.figures().get(1).candidateMeanDsc() > 0, decision.figures().toString());

        // audited: Application Activity / Software Configuration, by whom, what
        java.util.List<com.fasterxml.jackson.databind.JsonNode> audited = AuditLines.events(data.resolve("audit/audit.jsonl"),
                e -> e.toString().contains("model tiny-1 " + decision.action()));
        assertEquals(1, audited.size(), "one audit event of the decision");
        assertEquals("110100", AuditLines.code(audited.get(0)));
        assertEquals("cron-test", AuditLines.userOf(audited.get(0)));

        LaunchResult list = launcher.launch("models", "list", "--log");
        assertEquals(0, list.exitCode(), list.getErrorOutput());
        assertTrue(list.getOutput().contains("tiny-1") && list.getOutput().contains(decision.action()), list.getOutput());
    }

    /**
     * Phantom studies with a corrected SEG each (the phantom's own liver, as another manufacturer's tool sends it),
     * until the hold-out rule has put at least one on each side; returns {training, held out}.
     */
    private static int[] correctedCases(Path data) throws Exception {
        InstanceStore store = new InstanceStore(data);
        int[] sides = new int[2];
        for (int n = 0; n < 30 && (sides[0] == 0 || sides[1] == 0); n++) {
            SyntheticCtSeries synthetic = SyntheticCtSeries.builder().setSliceCount(3).setRows(256).setColumns(256)
                    .setPixelSpacing(1.5, 1.5).setSliceSpacing(5.0).write(Node.ROOT.resolve("generated-" + n));
            boolean held = LocalHoldout.held(synthetic.studyInstanceUid());
            if (sides[held ? 1 : 0] >= 2) {
                continue;
            }
            for (int k = 0; k < synthetic.sliceCount(); k++) {
                store.storeProduced(synthetic.file(k), synthetic.studyInstanceUid(), synthetic.seriesInstanceUid(),
                        synthetic.sopInstanceUid(k));
            }
            CtSeries ct = CtSeriesReader.read(synthetic.files());
            byte[][] masks = new byte[ct.sliceCount()][];
            for (int k = 0; k < ct.sliceCount(); k++) {
                int acquisition = 0;
                while (!synthetic.sopInstanceUid(acquisition).equals(ct.sopInstanceUids().get(k))) {
                    acquisition++;
                }
                masks[k] = synthetic.liverMask(acquisition);
            }
            Path seg = CorrectionSegs.binary(ct, masks, Node.ROOT.resolve("correction-" + n + ".dcm"));
            AttributeList header = new AttributeList();
            header.read(seg.toString(), TagFromName.PixelData);
            store.storeProduced(seg, synthetic.studyInstanceUid(),
                    Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SeriesInstanceUID),
                    Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SOPInstanceUID));
            sides[held ? 1 : 0]++;
        }
        return sides;
    }
}
