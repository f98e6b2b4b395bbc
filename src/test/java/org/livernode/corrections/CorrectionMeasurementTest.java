package org.livernode.corrections;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationException;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.training.SegmentationMetrics;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both SEG forms read by the one reader and placed on the CT's slices, by source image or by position on the Frame of
 * Reference, measured to the same figures as {@link SegmentationMetrics#ofVolume} gives on the masks themselves.
 */
class CorrectionMeasurementTest {

    @TempDir
    Path temp;
    CtSeries ct;
    byte[][] node;
    byte[][] corrected;

    @BeforeEach
    void phantom() throws Exception {
        SyntheticCtSeries series = SyntheticCtSeries.builder().setSliceCount(12).setRows(96).setColumns(96)
                .setPixelSpacing(3.0, 3.0).setSliceSpacing(4.0).write(temp.resolve("ct"));
        ct = CtSeriesReader.read(series.files());
        node = new byte[ct.sliceCount()][];
        corrected = new byte[ct.sliceCount()][];
        for (int k = 0; k < ct.sliceCount(); k++) {
            int j = series.files().indexOf(ct.files().get(k));
            node[k] = series.liverMask(j);
            corrected[k] = CorrectionSegs.grown(node[k], ct.rows(), ct.columns(), k < 6 ? -2 : 3);
        }
    }

    @Test
    void binaryAndLabelMapOfTheSameMasksGiveTheFiguresOfTheMasks() throws Exception {
        DecodedSegmentation ai = SegmentationReader.read(CorrectionSegs.binary(ct, node, temp.resolve("ai.dcm")));
        SegmentationMetrics direct = SegmentationMetrics.ofVolume(node, corrected, ct.rows(), ct.columns(),
                ct.geometry().rowSpacing(), ct.geometry().columnSpacing(), positions());
        assertTrue(direct.dsc() > 0.5 && direct.dsc() < 0.99, "a real disagreement: " + direct);
        for (int bits : new int[] {8, 16}) {
            DecodedSegmentation labels = SegmentationReader.read(
                    CorrectionSegs.labelMap(ct, corrected, 7, bits, temp.resolve("labels" + bits + ".dcm")));
            assertEquals(SopClasses.LABEL_MAP_SEGMENTATION_STORAGE, labels.sopClassUid());
            assertEquals("LABELMAP", labels.segmentationType());
            assertEquals(7, labels.liverSegmentNumber(), "the liver found by its value, not by position in the sequence");
            assertArrayEquals(corrected, SliceAlignment.masks(ct, labels, 7), bits + "-bit labels");
            CorrectionMeasurement.Agreement a = CorrectionMeasurement.measure(ct, ai, labels);
            assertEquals(direct, a.metrics(), bits + "-bit");
            assertEquals(ct.maskVolumeMl(corrected) - ct.maskVolumeMl(node), a.volumeDifferenceMl(), 1e-9);
        }
        DecodedSegmentation binary = SegmentationReader.read(CorrectionSegs.binary(ct, corrected, temp.resolve("c.dcm")));
        assertEquals(direct, CorrectionMeasurement.measure(ct, ai, binary).metrics());
    }

    @Test
    void framesWithoutSourceImagesArePlacedByPositionOnTheFrameOfReference() throws Exception {
        Path file = CorrectionSegs.labelMap(ct, corrected, 3, 16, temp.resolve("positions.dcm"));
        AttributeList seg = new AttributeList();
        seg.read(file.toFile());
        SequenceAttribute perFrame = (SequenceAttribute) seg.get(TagFromName.PerFrameFunctionalGroupsSequence);
        for (int f = 0; f < perFrame.getNumberOfItems(); f++) {
            perFrame.getItem(f).getAttributeList().remove(TagFromName.DerivationImageSequence);
        }
        DecodedSegmentation positioned = SegmentationReader.decode(seg, "positions");
        assertArrayEquals(corrected, SliceAlignment.masks(ct, positioned, 3));

        seg.get(TagFromName.FrameOfReferenceUID).setValue("1.2.3.4");
        SliceAlignment.NotMeasurable e = assertThrows(SliceAlignment.NotMeasurable.class,
                () -> SliceAlignment.masks(ct, SegmentationReader.decode(seg, "elsewhere"), 3));
        assertTrue(e.getMessage().contains("Frame of Reference 1.2.3.4"), e.getMessage());
    }

    @Test
    void aLabelNotInTheSegmentSequenceIsRefusedWithTheValue() throws Exception {
        Path file = CorrectionSegs.labelMap(ct, corrected, 2, 8, temp.resolve("bad.dcm"));
        AttributeList seg = new AttributeList();
        seg.read(file.toFile());
        byte[] pixels = seg.get(TagFromName.PixelData).getByteValues(false);
        pixels[5] = 9;
        seg.get(TagFromName.PixelData).setValues(pixels);
        SegmentationException e = assertThrows(SegmentationException.class, () -> SegmentationReader.decode(seg, "bad.dcm"));
        assertTrue(e.getMessage().contains("pixel value 9") && e.getMessage().contains("[2]"), e.getMessage());
    }

    private double[] positions() {
        double[] z = new double[ct.sliceCount()];
        for (int k = 0; k < z.length; k++) {
            z[k] = ct.alongNormal(k);
        }
        return z;
    }
}
