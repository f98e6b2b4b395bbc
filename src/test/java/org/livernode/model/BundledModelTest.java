package org.livernode.model;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.livernode.segmentation.SliceSegmenter;
import org.livernode.training.CaseSplit;
import org.livernode.training.DataSpec;
import org.livernode.training.Evaluation;
import org.livernode.training.LabelledSlice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped model segments held-out real CT (validation volumes of its own split). */
class BundledModelTest {

    static final Path MODEL = Path.of("models/eas-unet-lits");
    static final Path LITS = Path.of("../shared/data/lits-slices");

    @Test
    void bundledModelSegmentsValidationVolumes() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(LITS.resolve("images")),
                "skipped: real data " + LITS.toAbsolutePath() + " absent (CI lays out shared/ beside the clone)");
        List<LabelledSlice> all = DataSpec.parse("lits-slices:" + LITS).load();
        CaseSplit split = CaseSplit.of(all, 42, 0.8);
        Set<String> cases = Set.copyOf(split.validationCases().subList(0, 4));
        List<LabelledSlice> slices = split.validation().stream().filter(s -> cases.contains(s.caseId())).toList();
        try (LiverPredictor predictor = LiverPredictor.load(MODEL)) {
            assertEquals(ModelArchitecture.EAS_UNET, predictor.card().architecture().name());
            assertEquals(IntensityMapping.litsSlices(), predictor.card().intensityMapping());
            Evaluation.Summary summary = Evaluation.run(new SliceSegmenter(predictor, predictor.card().threshold()), slices);
            assertTrue(summary.pooledDsc() > 0.8, "pooled DSC on " + slices.size() + " held-out slices: " + summary.pooledDsc());
        }
    }
}
