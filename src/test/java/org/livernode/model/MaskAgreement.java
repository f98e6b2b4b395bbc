package org.livernode.model;

import org.junit.jupiter.api.Assumptions;
import org.livernode.segmentation.SliceSegmenter;
import org.livernode.training.CaseSplit;
import org.livernode.training.DataSpec;
import org.livernode.training.LabelledSlice;
import org.livernode.training.SegmentationMetrics.Overlap;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two loadings of the bundled model (another form, another engine) must give the same masks: pooled DSC >= 0.999
 * between them through the node's slice path, on the bundled real CT series and on the LiTS validation slices.
 */
final class MaskAgreement {

    static final Path SAMPLE = Path.of("samples/siemens-ct-j2k");

    /** A way to load the bundled model. */
    interface Loader {
        LiverPredictor load() throws Exception;
    }

    /** HU slices of one size, with that size. */
    record Slices(float[][] hu, int rows, int columns, String what) {
    }

    private MaskAgreement() {
    }

    static Slices bundledSeries() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(SAMPLE)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("CT.")).sorted().toList();
        }
        CtSeries ct = CtSeriesReader.read(files);
        float[][] hu = new float[ct.sliceCount()][];
        for (int k = 0; k < hu.length; k++) {
            hu[k] = ct.sliceHu(k);
        }
        return new Slices(hu, ct.rows(), ct.columns(), "the bundled series (" + hu.length + " slices)");
    }

    /** The validation slices of the bundled model's split; skips the test when the real data are absent. */
    static Slices validationSlices() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(BundledModelTest.LITS.resolve("images")),
                "skipped: real data " + BundledModelTest.LITS.toAbsolutePath() + " absent");
        List<LabelledSlice> validation = CaseSplit.of(DataSpec.parse("lits-slices:" + BundledModelTest.LITS).load(),
                42, 0.8).validation();
        LabelledSlice first = validation.get(0);
        float[][] hu = validation.stream().filter(s -> s.rows() == first.rows() && s.columns() == first.columns())
                .map(LabelledSlice::hu).toArray(float[][]::new);
        return new Slices(hu, first.rows(), first.columns(), "LiTS validation (" + hu.length + " slices)");
    }

    /** @return the pooled DSC of candidate's masks against reference's, asserted >= 0.999 */
    static double assertAgree(Slices slices, Loader reference, Loader candidate, String comparison) throws Exception {
        byte[][] expected = masks(slices, reference);
        byte[][] actual = masks(slices, candidate);
        Overlap overlap = Overlap.NONE;
        for (int k = 0; k < expected.length; k++) {
            overlap = overlap.plus(Overlap.of(actual[k], expected[k]));
        }
        String what = slices.what();
        System.out.printf("%s: DSC %s %.6f over %d liver pixels%n", what, comparison, overlap.dsc(), overlap.truth());
        assertTrue(overlap.truth() > 1000, what + ": the reference must find liver, found " + overlap.truth() + " px");
        assertTrue(overlap.dsc() >= 0.999, what + ": DSC " + comparison + " " + overlap.dsc());
        return overlap.dsc();
    }

    private static byte[][] masks(Slices slices, Loader loader) throws Exception {
        float[][] hu = slices.hu();
        try (LiverPredictor p = loader.load()) {
            byte[][] out = new byte[hu.length][];
            SliceSegmenter segmenter = new SliceSegmenter(p, p.card().threshold());
            for (int start = 0; start < hu.length; start += 8) {
                byte[][] part = segmenter.masks(Arrays.copyOfRange(hu, start, Math.min(hu.length, start + 8)),
                        slices.rows(), slices.columns());
                System.arraycopy(part, 0, out, start, part.length);
            }
            return out;
        }
    }
}
