package org.livernode.dicom.seg;

import org.livernode.dicom.attributes.Attributes;
import org.livernode.dicom.vocabulary.SopClasses;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a Segmentation into per-frame, per-segment masks: a BINARY Segmentation (Segmentation Storage, native 1-bit
 * Pixel Data, each frame one segment's by its Segment Identification) or a LABELMAP one (Label Map Segmentation
 * Storage, 8 or 16-bit, each pixel a Segment Number; Pixel Padding Value, or 0 when no segment has that number, is
 * background). Functional groups are looked up per frame first, then in the shared groups, as the standard allows
 * either. The one reader for both forms: the node's own SEG, radiologists' corrections and training's ground truth.
 */
public final class SegmentationReader {

    private static final String BINARY = "BINARY";
    private static final String LABELMAP = "LABELMAP";
    private static final String LIVER_SNOMED = SegmentDescription.LIVER.value();

    private SegmentationReader() {
    }

    public static DecodedSegmentation read(Path file) throws IOException {
        AttributeList seg = new AttributeList();
        try {
            seg.read(file.toFile());
        } catch (DicomException e) {
            throw new IOException(file + ": not a readable DICOM file: " + e.getMessage(), e);
        }
        return decode(seg, file.toString());
    }

    /** Decodes an already-read SEG data set; {@code where} names it in error messages. */
    public static DecodedSegmentation decode(AttributeList seg, String where) {
        String sopClass = Attributes.string(seg, TagFromName.SOPClassUID);
        if (!SopClasses.isSegmentation(sopClass)) {
            throw new SegmentationException(where + ": SOPClassUID must be Segmentation Storage "
                    + SopClasses.SEGMENTATION_STORAGE + " or Label Map Segmentation Storage "
                    + SopClasses.LABEL_MAP_SEGMENTATION_STORAGE + ", found " + sopClass);
        }
        boolean labelMap = SopClasses.LABEL_MAP_SEGMENTATION_STORAGE.equals(sopClass);
        String type = Attributes.string(seg, TagFromName.SegmentationType);
        String expected = labelMap ? LABELMAP : BINARY;
        if (!expected.equals(type)) {
            throw new SegmentationException(where + ": SegmentationType must be " + expected + ", found " + type
                    + " (SOP Class " + sopClass + ")");
        }
        int rows = intValue(seg, TagFromName.Rows, where);
        int columns = intValue(seg, TagFromName.Columns, where);
        int frameCount = Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.NumberOfFrames, 1);
        SegmentationPixels pixels = SegmentationPixels.of(seg, labelMap, rows, columns, frameCount, where);
        Map<Integer, String> labels = segmentLabels(seg);
        int padding = labelMap ? Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.PixelPaddingValue, -1) : -1;
        if (padding >= 0 && labels.containsKey(padding)) {
            throw new SegmentationException(where + ": PixelPaddingValue " + padding
                    + " (background) must not be a Segment Number of the Segment Sequence");
        }

        AttributeList shared = DicomAttributes.firstItem(seg, TagFromName.SharedFunctionalGroupsSequence);
        Attribute perFrameAttr = seg.get(TagFromName.PerFrameFunctionalGroupsSequence);
        SequenceAttribute perFrame = perFrameAttr instanceof SequenceAttribute s ? s : null;
        List<SegmentationFrame> frames = new ArrayList<>(frameCount);
        int pixelCount = rows * columns;
        for (int f = 0; f < frameCount; f++) {
            AttributeList groups = perFrame != null && f < perFrame.getNumberOfItems()
                    ? perFrame.getItem(f).getAttributeList() : null;
            AttributeList position = group(groups, shared, TagFromName.PlanePositionSequence);
            double[] ipp = DicomAttributes.doubles(position, TagFromName.ImagePositionPatient);
            AttributeList source = DicomAttributes.firstItem(group(groups, shared, TagFromName.DerivationImageSequence),
                    TagFromName.SourceImageSequence);
            String sourceUid = source == null ? null : Attributes.string(source, TagFromName.ReferencedSOPInstanceUID);
            int sourceFrame = source == null ? 0
                    : Attribute.getSingleIntegerValueOrDefault(source, TagFromName.ReferencedFrameNumber, 0);
            Map<Integer, byte[]> masks = labelMap ? labelMasks(pixels, f, pixelCount, labels, padding, where)
                    : Map.of(binarySegment(groups, shared, f, where), binaryMask(pixels, f, pixelCount));
            for (Map.Entry<Integer, byte[]> e : masks.entrySet()) {
                frames.add(new SegmentationFrame(f + 1, e.getKey(), sourceUid, sourceFrame, ipp, e.getValue()));
            }
        }
        AttributeList orientation = group(null, shared, TagFromName.PlaneOrientationSequence);
        AttributeList measures = group(perFrame == null ? null : perFrame.getItem(0).getAttributeList(), shared,
                TagFromName.PixelMeasuresSequence);
        return new DecodedSegmentation(Attributes.string(seg, TagFromName.SOPInstanceUID),
                Attributes.string(seg, TagFromName.SeriesInstanceUID),
                Attributes.string(seg, TagFromName.StudyInstanceUID), sopClass, type,
                Attributes.string(seg, TagFromName.Manufacturer),
                Attributes.string(seg, TagFromName.FrameOfReferenceUID), rows, columns,
                DicomAttributes.doubles(orientation != null ? orientation
                        : group(perFrame == null ? null : perFrame.getItem(0).getAttributeList(), null,
                        TagFromName.PlaneOrientationSequence), TagFromName.ImageOrientationPatient),
                DicomAttributes.doubles(measures, TagFromName.PixelSpacing), labels, liverSegment(seg), frames);
    }

    private static int binarySegment(AttributeList groups, AttributeList shared, int f, String where) {
        AttributeList segmentId = group(groups, shared, TagFromName.SegmentIdentificationSequence);
        int segmentNumber = segmentId == null ? -1
                : Attribute.getSingleIntegerValueOrDefault(segmentId, TagFromName.ReferencedSegmentNumber, -1);
        if (segmentNumber < 1) {
            throw new SegmentationException(where + ": frame " + (f + 1) + ": ReferencedSegmentNumber is required, found none");
        }
        return segmentNumber;
    }

    private static byte[] binaryMask(SegmentationPixels pixels, int f, int pixelCount) {
        byte[] mask = new byte[pixelCount];
        for (int i = 0; i < pixelCount; i++) {
            mask[i] = (byte) pixels.value(f, i);
        }
        return mask;
    }

    /** One mask per described segment; every other value must be the background (padding, or an undescribed 0). */
    private static Map<Integer, byte[]> labelMasks(SegmentationPixels pixels, int f, int pixelCount,
                                                   Map<Integer, String> labels, int padding, String where) {
        Map<Integer, byte[]> masks = new LinkedHashMap<>();
        labels.keySet().stream().sorted().forEach(n -> masks.put(n, new byte[pixelCount]));
        for (int i = 0; i < pixelCount; i++) {
            int v = pixels.value(f, i);
            byte[] mask = masks.get(v);
            if (mask != null) {
                mask[i] = 1;
            } else if (v != padding && v != 0) {
                throw new SegmentationException(where + ": frame " + (f + 1) + ": pixel value " + v + " (pixel "
                        + i + ") is no Segment Number of the Segment Sequence " + labels.keySet()
                        + (padding >= 0 ? " nor the PixelPaddingValue " + padding : ""));
            }
        }
        return masks;
    }

    private static Map<Integer, String> segmentLabels(AttributeList seg) {
        Map<Integer, String> labels = new LinkedHashMap<>();
        Attribute a = seg.get(TagFromName.SegmentSequence);
        if (a instanceof SequenceAttribute seq) {
            for (int i = 0; i < seq.getNumberOfItems(); i++) {
                AttributeList item = seq.getItem(i).getAttributeList();
                labels.put(Attribute.getSingleIntegerValueOrDefault(item, TagFromName.SegmentNumber, i + 1),
                        Attribute.getSingleStringValueOrEmptyString(item, TagFromName.SegmentLabel));
            }
        }
        return labels;
    }

    /** The segment whose type is SNOMED CT Liver, else whose label contains "liver", else segment 1. */
    public static int liverSegment(AttributeList seg) {
        Attribute a = seg.get(TagFromName.SegmentSequence);
        if (!(a instanceof SequenceAttribute sequence)) {
            return 1;
        }
        Integer byLabel = null;
        for (int i = 0; i < sequence.getNumberOfItems(); i++) {
            AttributeList item = sequence.getItem(i).getAttributeList();
            int number = Attribute.getSingleIntegerValueOrDefault(item, TagFromName.SegmentNumber, i + 1);
            Attribute type = item.get(TagFromName.SegmentedPropertyTypeCodeSequence);
            if (type instanceof SequenceAttribute codes && codes.getNumberOfItems() > 0
                    && LIVER_SNOMED.equals(Attribute.getSingleStringValueOrEmptyString(
                    codes.getItem(0).getAttributeList(), TagFromName.CodeValue).trim())) {
                return number;
            }
            String label = Attribute.getSingleStringValueOrEmptyString(item, TagFromName.SegmentLabel);
            if (byLabel == null && label.toLowerCase(Locale.ROOT).contains("liver")) {
                byLabel = number;
            }
        }
        return byLabel != null ? byLabel : 1;
    }

    private static AttributeList group(AttributeList perFrame, AttributeList shared, AttributeTag sequence) {
        AttributeList item = DicomAttributes.firstItem(perFrame, sequence);
        return item != null ? item : DicomAttributes.firstItem(shared, sequence);
    }

    private static int intValue(AttributeList list, AttributeTag tag, String where) {
        int v = Attribute.getSingleIntegerValueOrDefault(list, tag, -1);
        if (v < 1) {
            throw new SegmentationException(where + ": " + tag + " must be a positive integer, found "
                    + Attribute.getSingleStringValueOrEmptyString(list, tag));
        }
        return v;
    }
}
