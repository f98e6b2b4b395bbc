package org.livernode.model;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.livernode.segmentation.SliceSegmenter;
import org.livernode.training.CaseSplit;
import org.livernode.training.DataSpec;
import org.livernode.training.LabelledSlice;
import org.livernode.training.SegmentationMetrics.Overlap;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node runs the bundled model with its batch norms folded into the convolutions; its masks must be the trained
 * form's: pooled DSC >= 0.999 between the two, on the bundled real CT series and on the LiTS validation slices.
 */
class BatchNormFoldingTest {

    static final Path SAMPLE = Path.of("samples/siemens-ct-j2k");

    @Test
    void foldedMasksEqualTrainedMasksOnTheBundledSeries() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(SAMPLE)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("CT.")).sorted().toList();
        }
        CtSeries ct = CtSeriesReader.read(files);
        float[][] hu = new float[ct.sliceCount()][];
        for (int k = 0; k < hu.length; k++) {
            hu[k] = ct.sliceHu(k);
        }
        assertAgree(hu, ct.rows(), ct.columns(), "the bundled series (" + hu.length + " slices)");
    }

    @Test
    void foldedMasksEqualTrainedMasksOnValidationSlices() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(BundledModelTest.LITS.resolve("images")),
                "skipped: real data " + BundledModelTest.LITS.toAbsolutePath() + " absent");
        List<LabelledSlice> validation = CaseSplit.of(DataSpec.parse("lits-slices:" + BundledModelTest.LITS).load(),
                42, 0.8).validation();
        LabelledSlice first = validation.get(0);
        float[][] hu = validation.stream().filter(s -> s.rows() == first.rows() && s.columns() == first.columns())
                .map(LabelledSlice::hu).toArray(float[][]::new);
        assertAgree(hu, first.rows(), first.columns(), "LiTS validation (" + hu.length + " slices)");
    }

    private static void assertAgree(float[][] hu, int rows, int columns, String what) throws Exception {
        byte[][] trained = masks(hu, rows, columns, false);
        byte[][] folded = masks(hu, rows, columns, true);
        Overlap overlap = Overlap.NONE;
        for (int k = 0; k < hu.length; k++) {
            overlap = overlap.plus(Overlap.of(folded[k], trained[k]));
        }
        System.out.printf("%s: DSC folded vs trained %.6f over %d liver pixels%n", what, overlap.dsc(), overlap.truth());
        assertTrue(overlap.truth() > 1000, what + ": the trained model must find liver, found " + overlap.truth() + " px");
        assertTrue(overlap.dsc() >= 0.999, what + ": DSC folded vs trained " + overlap.dsc());
    }

    private static byte[][] masks(float[][] hu, int rows, int columns, boolean folded) throws Exception {
        try (LiverPredictor p = LiverPredictor.load(BundledModelTest.MODEL, 8, false, folded)) {
            byte[][] out = new byte[hu.length][];
            SliceSegmenter segmenter = new SliceSegmenter(p, p.card().threshold());
            for (int start = 0; start < hu.length; start += 8) {
                byte[][] part = segmenter.masks(java.util.Arrays.copyOfRange(hu, start, Math.min(hu.length, start + 8)),
                        rows, columns);
                System.arraycopy(part, 0, out, start, part.length);
            }
            return out;
        }
    }
}
