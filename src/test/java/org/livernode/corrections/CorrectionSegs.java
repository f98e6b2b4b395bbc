package org.livernode.corrections;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UnsignedLongAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import org.livernode.dicom.seg.SegmentationWriter;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.volume.CtSeries;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Test-only makers of a radiologist's corrected SEG of a CT series, from masks in the series' volume order, as
 * another manufacturer's tool would send it back: a BINARY Segmentation, or a LABELMAP one (Label Map Segmentation
 * Storage, PS3.3 C.8.20 as amended by Sup 243): one frame per slice holding Segment Numbers (8 or 16-bit), background
 * 0 named by Pixel Padding Value, no Segment Identification per frame and no segment dimension.
 */
public final class CorrectionSegs {
    public static final String MANUFACTURER = "OHIF";

    private CorrectionSegs() {
    }

    /** A BINARY SEG of the liver masks, one frame per slice, Manufacturer {@link #MANUFACTURER}. */
    public static Path binary(CtSeries ct, byte[][] masks, Path out) throws Exception {
        AttributeList seg = correction(ct, masks, "Corrected liver (binary)");
        write(seg, out);
        return out;
    }

    /**
     * A LABELMAP SEG: the liver is Segment Number {@code liverLabel} (not 1 on purpose: segments are found by their
     * value), stored at {@code bits} (8 or 16) bits.
     */
    public static Path labelMap(CtSeries ct, byte[][] masks, int liverLabel, int bits, Path out) throws Exception {
        AttributeList seg = correction(ct, masks, "Corrected liver (label map)");
        put(seg, TagFromName.SOPClassUID, SopClasses.LABEL_MAP_SEGMENTATION_STORAGE);
        put(seg, TagFromName.SegmentationType, "LABELMAP");
        put(seg, TagFromName.BitsAllocated, Integer.toString(bits));
        put(seg, TagFromName.BitsStored, Integer.toString(bits));
        put(seg, TagFromName.HighBit, Integer.toString(bits - 1));
        Attribute padding = new UnsignedShortAttribute(TagFromName.PixelPaddingValue);
        padding.addValue(0);
        seg.put(padding);
        AttributeList segment = ((SequenceAttribute) seg.get(TagFromName.SegmentSequence)).getItem(0).getAttributeList();
        put(segment, TagFromName.SegmentNumber, Integer.toString(liverLabel));

        // Dimensions: the position only (a label map frame holds every segment).
        SequenceAttribute dimensions = (SequenceAttribute) seg.get(TagFromName.DimensionIndexSequence);
        SequenceAttribute positionOnly = new SequenceAttribute(TagFromName.DimensionIndexSequence);
        positionOnly.addItem(dimensions.getItem(dimensions.getNumberOfItems() - 1));
        seg.put(positionOnly);
        SequenceAttribute perFrame = (SequenceAttribute) seg.get(TagFromName.PerFrameFunctionalGroupsSequence);
        for (int f = 0; f < perFrame.getNumberOfItems(); f++) {
            AttributeList groups = perFrame.getItem(f).getAttributeList();
            groups.remove(TagFromName.SegmentIdentificationSequence);
            AttributeList content = ((SequenceAttribute) groups.get(TagFromName.FrameContentSequence)).getItem(0).getAttributeList();
            long[] values = content.get(TagFromName.DimensionIndexValues).getLongValues();
            Attribute position = new UnsignedLongAttribute(TagFromName.DimensionIndexValues);
            position.addValue(values[values.length - 1]);
            content.put(position);
        }
        int pixels = ct.rows() * ct.columns();
        if (bits == 8) {
            byte[] labels = new byte[pixels * masks.length];
            for (int k = 0; k < masks.length; k++) {
                for (int i = 0; i < pixels; i++) {
                    labels[k * pixels + i] = (byte) (masks[k][i] != 0 ? liverLabel : 0);
                }
            }
            Attribute data = new OtherByteAttribute(TagFromName.PixelData);
            data.setValues(labels);
            seg.put(data);
        } else {
            short[] labels = new short[pixels * masks.length];
            for (int k = 0; k < masks.length; k++) {
                for (int i = 0; i < pixels; i++) {
                    labels[k * pixels + i] = (short) (masks[k][i] != 0 ? liverLabel : 0);
                }
            }
            Attribute data = new OtherWordAttribute(TagFromName.PixelData);
            data.setValues(labels);
            seg.put(data);
        }
        write(seg, out);
        return out;
    }

    /** The node's SEG writer's data set for the masks (every slice a frame), as another manufacturer's correction. */
    private static AttributeList correction(CtSeries ct, byte[][] masks, String description) throws Exception {
        AttributeList seg = SegmentationWriter.builder().setSourceImages(ct.headers()).setMasks(Arrays.asList(masks))
                .setAlgorithm("manual correction", "1").setSeriesNumber(990).setSeriesDescription(description)
                .setContentLabel("CORRECTED").optOmitEmptyFrames(false).build().build();
        put(seg, TagFromName.Manufacturer, MANUFACTURER);
        return seg;
    }

    private static void put(AttributeList list, AttributeTag tag, String value) throws Exception {
        Attribute a = list.get(tag);
        if (a == null) {
            a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
            list.put(a);
        }
        a.removeValues();
        a.addValue(value);
    }

    private static void write(AttributeList seg, Path out) throws Exception {
        seg.removeGroupLengthAttributes();
        seg.remove(TagFromName.FileMetaInformationGroupLength);
        FileMetaInformation.addFileMetaInformation(seg, TransferSyntax.ExplicitVRLittleEndian, "LIVERNODETEST");
        seg.write(out.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    /** The mask grown (negative: shrunk) by {@code pixels} 4-connected steps, slice by slice. */
    public static byte[] grown(byte[] mask, int rows, int columns, int pixels) {
        byte[] m = mask.clone();
        boolean grow = pixels > 0;
        for (int step = 0; step < Math.abs(pixels); step++) {
            byte[] next = m.clone();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    int i = r * columns + c;
                    boolean any = false;
                    boolean all = true;
                    int[][] around = {{r - 1, c}, {r + 1, c}, {r, c - 1}, {r, c + 1}};
                    for (int[] n : around) {
                        boolean in = n[0] >= 0 && n[0] < rows && n[1] >= 0 && n[1] < columns && m[n[0] * columns + n[1]] != 0;
                        any |= in;
                        all &= in;
                    }
                    next[i] = (byte) (grow ? (m[i] != 0 || any ? 1 : 0) : (m[i] != 0 && all ? 1 : 0));
                }
            }
            m = next;
        }
        return m;
    }

}
