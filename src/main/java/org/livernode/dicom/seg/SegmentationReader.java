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
import java.util.Map;

/**
 * Reads a BINARY Segmentation (one or more segments, native 1-bit Pixel Data) into per-frame masks. Functional
 * groups are looked up per frame first, then in the shared groups, as the standard allows either.
 */
public final class SegmentationReader {

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
        if (!SopClasses.SEGMENTATION_STORAGE.equals(sopClass)) {
            throw new SegmentationException(where + ": SOPClassUID must be Segmentation Storage "
                    + SopClasses.SEGMENTATION_STORAGE + ", found " + sopClass);
        }
        String type = Attributes.string(seg, TagFromName.SegmentationType);
        if (!"BINARY".equals(type)) {
            throw new SegmentationException(where + ": SegmentationType must be BINARY, found " + type);
        }
        int rows = intValue(seg, TagFromName.Rows, where);
        int columns = intValue(seg, TagFromName.Columns, where);
        int frameCount = Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.NumberOfFrames, 1);
        int bitsAllocated = intValue(seg, TagFromName.BitsAllocated, where);
        if (bitsAllocated != 1) {
            throw new SegmentationException(where + ": BitsAllocated must be 1 for BINARY, found " + bitsAllocated);
        }
        byte[] packed = pixelBytes(seg, where);
        long neededBits = (long) rows * columns * frameCount;
        if ((long) packed.length * 8 < neededBits) {
            throw new SegmentationException(where + ": Pixel Data must hold " + neededBits + " bits for " + frameCount
                    + " frames of " + rows + "x" + columns + ", found " + packed.length + " bytes");
        }

        AttributeList shared = DicomAttributes.firstItem(seg, TagFromName.SharedFunctionalGroupsSequence);
        Attribute perFrameAttr = seg.get(TagFromName.PerFrameFunctionalGroupsSequence);
        SequenceAttribute perFrame = perFrameAttr instanceof SequenceAttribute s ? s : null;
        List<SegmentationFrame> frames = new ArrayList<>(frameCount);
        int pixels = rows * columns;
        for (int f = 0; f < frameCount; f++) {
            AttributeList groups = perFrame != null && f < perFrame.getNumberOfItems()
                    ? perFrame.getItem(f).getAttributeList() : null;
            AttributeList segmentId = group(groups, shared, TagFromName.SegmentIdentificationSequence);
            int segmentNumber = segmentId == null ? -1
                    : Attribute.getSingleIntegerValueOrDefault(segmentId, TagFromName.ReferencedSegmentNumber, -1);
            if (segmentNumber < 1) {
                throw new SegmentationException(where + ": frame " + (f + 1) + ": ReferencedSegmentNumber is required, found none");
            }
            AttributeList position = group(groups, shared, TagFromName.PlanePositionSequence);
            double[] ipp = DicomAttributes.doubles(position, TagFromName.ImagePositionPatient);
            byte[] mask = new byte[pixels];
            long bit = (long) f * pixels;
            for (int i = 0; i < pixels; i++, bit++) {
                mask[i] = (byte) ((packed[(int) (bit >>> 3)] >> (bit & 7)) & 1);
            }
            frames.add(new SegmentationFrame(f + 1, segmentNumber, referencedSource(groups, shared), ipp, mask));
        }
        AttributeList orientation = group(null, shared, TagFromName.PlaneOrientationSequence);
        AttributeList measures = group(null, shared, TagFromName.PixelMeasuresSequence);
        return new DecodedSegmentation(Attributes.string(seg, TagFromName.SOPInstanceUID),
                Attributes.string(seg, TagFromName.SeriesInstanceUID),
                Attributes.string(seg, TagFromName.StudyInstanceUID),
                Attributes.string(seg, TagFromName.FrameOfReferenceUID), rows, columns,
                DicomAttributes.doubles(orientation != null ? orientation
                        : group(perFrame == null ? null : perFrame.getItem(0).getAttributeList(), null,
                        TagFromName.PlaneOrientationSequence), TagFromName.ImageOrientationPatient),
                DicomAttributes.doubles(measures, TagFromName.PixelSpacing), segmentLabels(seg), frames);
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

    /** The SOP Instance UID of the frame's first Source Image (Derivation Image functional group). */
    private static String referencedSource(AttributeList groups, AttributeList shared) {
        AttributeList derivation = group(groups, shared, TagFromName.DerivationImageSequence);
        AttributeList source = DicomAttributes.firstItem(derivation, TagFromName.SourceImageSequence);
        return source == null ? null : Attributes.string(source, TagFromName.ReferencedSOPInstanceUID);
    }

    private static AttributeList group(AttributeList perFrame, AttributeList shared, AttributeTag sequence) {
        AttributeList item = DicomAttributes.firstItem(perFrame, sequence);
        return item != null ? item : DicomAttributes.firstItem(shared, sequence);
    }

    private static byte[] pixelBytes(AttributeList seg, String where) {
        Attribute pixelData = seg.get(TagFromName.PixelData);
        if (pixelData == null) {
            throw new SegmentationException(where + ": PixelData is required, found none");
        }
        if (pixelData instanceof com.pixelmed.dicom.OtherByteAttributeMultipleCompressedFrames
                || pixelData instanceof com.pixelmed.dicom.OtherByteAttributeCompressedSeparateFramesOnDisk) {
            throw new SegmentationException(where + ": PixelData must be native (uncompressed), found encapsulated frames");
        }
        try {
            return pixelData.getByteValues(false);
        } catch (DicomException e) {
            throw new SegmentationException(where + ": cannot read PixelData: " + e.getMessage(), e);
        }
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
