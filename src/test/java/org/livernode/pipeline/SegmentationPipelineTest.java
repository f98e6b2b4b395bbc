package org.livernode.pipeline;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.model.LiverPredictor;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline without the node: with livernode.seg.omit-empty-frames the SEG holds exactly the slices with liver. */
class SegmentationPipelineTest {

    static final Path BUNDLED_MODEL = Path.of("models/eas-unet-lits");

    @TempDir
    Path temp;

    @Test
    void omittingEmptyFramesKeepsExactlyTheSlicesWithLiverAndTheSameMasks() throws Exception {
        SyntheticCtSeries ct = SyntheticCtSeries.builder().setSliceCount(6).setRows(128).setColumns(128)
                .setPixelSpacing(3, 3).write(temp.resolve("ct"));
        for (int k = 0; k < 2; k++) {
            toAir(ct.file(k)); // slices outside the body: nothing to find there
        }
        CtSeries series = CtSeriesReader.read(ct.files());
        try (LiverPredictor predictor = LiverPredictor.load(BUNDLED_MODEL, 8, false)) {
            SegmentationPipeline.Outcome all = new SegmentationPipeline(TestPipelines.config(BUNDLED_MODEL, 8, false), "test")
                    .run(series, predictor, temp.resolve("all.dcm"), done -> { });
            SegmentationPipeline.Outcome some = new SegmentationPipeline(TestPipelines.config(BUNDLED_MODEL, 8, true), "test")
                    .run(series, predictor, temp.resolve("some.dcm"), done -> { });

            assertEquals(6, all.framesWritten());
            Set<String> withLiver = new HashSet<>();
            for (int k = 0; k < series.sliceCount(); k++) {
                assertArrayEquals(all.masks()[k], some.masks()[k], "the setting changes the SEG, not the masks");
                if (any(all.masks()[k])) {
                    withLiver.add(series.sopInstanceUids().get(k));
                }
            }
            assertTrue(withLiver.size() > 0 && withLiver.size() < 6, "liver on " + withLiver.size() + " of 6 slices");
            assertEquals(withLiver.size(), some.framesWritten());
            assertEquals(withLiver.size(), some.slicesWithLiver());

            DecodedSegmentation decoded = SegmentationReader.read(temp.resolve("some.dcm"));
            Map<String, byte[]> masks = decoded.masksByReferencedSopInstanceUid(1);
            assertEquals(withLiver, masks.keySet());
            for (int k = 0; k < series.sliceCount(); k++) {
                byte[] mask = masks.get(series.sopInstanceUids().get(k));
                if (mask != null) {
                    assertArrayEquals(some.masks()[k], mask, "slice " + k);
                }
            }
            for (String file : List.of("all.dcm", "some.dcm")) {
                ExternalTool.Result check = ExternalTool.run(List.of("dciodvfy", temp.resolve(file).toString()), 120);
                assertEquals(0, check.exitCode(), file + ": " + check.stdout() + check.stderr());
            }
        }
    }

    /** Replaces a slice's pixels with air (stored 0 = -1024 HU), keeping its header and position. */
    private static void toAir(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        int pixels = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0)
                * Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        OtherWordAttribute air = new OtherWordAttribute(TagFromName.PixelData);
        air.setValues(new short[pixels]);
        list.put(air);
        list.write(file.toFile(), Attribute.getSingleStringValueOrDefault(list, TagFromName.TransferSyntaxUID,
                TransferSyntax.ExplicitVRLittleEndian), true, true);
    }

    private static boolean any(byte[] mask) {
        for (byte b : mask) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }
}
