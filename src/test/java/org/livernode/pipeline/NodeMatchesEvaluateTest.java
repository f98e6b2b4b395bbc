package org.livernode.pipeline;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.model.LiverPredictor;
import org.livernode.segmentation.SliceSegmenter;
import org.livernode.training.CaseSplit;
import org.livernode.training.DataSpec;
import org.livernode.training.Evaluation;
import org.livernode.training.LabelledSlice;
import org.livernode.training.SegmentationMetrics;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node and {@code evaluate} see the same pixels the same way: a real LiTS slice sent as a one-slice CT series
 * through the node's pipeline (DICOM file, HU from the file, SEG written) gets exactly the mask {@code evaluate}
 * scores for it with --postprocess (the node's clean-up; on one slice the 3D and per-slice clean-ups are the same),
 * bit for bit, whole and cut to a non-square 256x200 (so the padding to square is the same too).
 */
class NodeMatchesEvaluateTest {

    private static final Path LITS = Path.of("../shared/data/lits-slices");
    private static final Path MODEL = SegmentationPipelineTest.BUNDLED_MODEL;

    @TempDir
    Path temp;

    @Test
    void theNodeAndEvaluateGiveTheSameMaskForTheSameRealSlice() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(LITS.resolve("images")),
                "skipped: real data " + LITS.toAbsolutePath() + " absent (CI lays out shared/ beside the clone)");
        List<LabelledSlice> validation = CaseSplit.of(DataSpec.parse("lits-slices:" + LITS).load(), 42, 0.8).validation();
        List<LabelledSlice> cases = new ArrayList<>();
        for (LabelledSlice s : validation) {
            if (s.liverPixels() > 2000 && cases.stream().noneMatch(c -> c.caseId().equals(s.caseId()))) {
                cases.add(s);
                cases.add(cut(s, 28, 200));
            }
            if (cases.size() == 6) {
                break;
            }
        }
        try (LiverPredictor predictor = LiverPredictor.load(MODEL, 8, false)) {
            SegmentationPipeline node = new SegmentationPipeline(TestPipelines.config(MODEL, 8, false), "test");
            SliceSegmenter evaluate = new SliceSegmenter(predictor,
                    SliceSegmenter.threshold(predictor.card(), Optional.empty()));
            for (int i = 0; i < cases.size(); i++) {
                LabelledSlice slice = cases.get(i);
                CtSeries series = CtSeriesReader.read(writeSeries(slice, temp.resolve("ct" + i)).files());
                assertArrayEquals(slice.hu(), series.sliceHu(0), "the DICOM file carries the slice's HU exactly");
                byte[] fromNode = node.run(series, predictor, temp.resolve("seg" + i + ".dcm"), done -> { }).masks()[0];
                byte[] fromEvaluate = Evaluation.masks(evaluate, List.of(slice), true)[0];
                String what = slice.caseId() + " " + slice.rows() + "x" + slice.columns();
                assertArrayEquals(fromEvaluate, fromNode, what + ": the node's mask is the one evaluate scores");
                double dsc = SegmentationMetrics.Overlap.of(fromNode, slice.liverMask()).dsc();
                assertTrue(dsc > 0.8, what + ": a real liver found (DSC " + dsc + ")");
                assertEquals(dsc, Evaluation.run(evaluate, List.of(slice), true).cases().get(0).metrics().dsc(), 0,
                        what + ": evaluate's score is the node mask's");
            }
        }
    }

    /** Columns [left, left + width) of a slice: real pixels on a non-square grid. */
    private static LabelledSlice cut(LabelledSlice s, int left, int width) {
        float[] hu = new float[s.rows() * width];
        byte[] mask = new byte[s.rows() * width];
        for (int r = 0; r < s.rows(); r++) {
            System.arraycopy(s.hu(), r * s.columns() + left, hu, r * width, width);
            System.arraycopy(s.liverMask(), r * s.columns() + left, mask, r * width, width);
        }
        return new LabelledSlice(s.caseId(), s.rows(), width, hu, mask, s.rowSpacingMm(), s.columnSpacingMm());
    }

    /** A one-slice CT series of the slice's size whose pixels are the slice's HU (stored = HU + 1024). */
    private static SyntheticCtSeries writeSeries(LabelledSlice slice, Path dir) throws Exception {
        SyntheticCtSeries ct = SyntheticCtSeries.builder().setSliceCount(1).setRows(slice.rows())
                .setColumns(slice.columns()).setPixelSpacing(1.5, 1.5).write(dir);
        AttributeList list = new AttributeList();
        list.read(ct.file(0).toFile());
        short[] stored = new short[slice.hu().length];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = (short) Math.round(slice.hu()[i] + 1024);
        }
        OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
        pixels.setValues(stored);
        list.put(pixels);
        list.write(ct.file(0).toFile(), Attribute.getSingleStringValueOrDefault(list, TagFromName.TransferSyntaxUID,
                TransferSyntax.ExplicitVRLittleEndian), true, true);
        return ct;
    }
}
