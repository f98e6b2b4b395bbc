package org.livernode.dicom.seg;

import org.livernode.dicom.attributes.Attributes;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.livernode.dicom.vocabulary.Uids;

import java.util.ArrayList;
import java.util.List;

/**
 * One source slice of a Segmentation: the instance it is in (SOP Class and Instance UID), which frame of it
 * ({@code referencedFrameNumber}, 1-based, or {@link #SINGLE_FRAME} for a single-frame image such as CT Image
 * Storage) and where it lies. One SEG frame is written per source frame, referencing it by Derivation Image /
 * Source Image Sequence (with Referenced Frame Number when the source is multi-frame).
 *
 * @param imagePositionPatient    (0020,0032) of the frame, 3 values, mm
 * @param imageOrientationPatient (0020,0037) of the frame, 6 direction cosines
 * @param pixelSpacing            (0028,0030) row spacing \ column spacing, mm
 * @param sliceThickness          (0018,0050) mm, or NaN when the source does not say
 */
public record SourceFrame(String sopClassUid, String sopInstanceUid, int referencedFrameNumber,
                          double[] imagePositionPatient, double[] imageOrientationPatient, double[] pixelSpacing,
                          double sliceThickness) {

    /** {@link #referencedFrameNumber()} of a single-frame image: the SEG then names the instance only. */
    public static final int SINGLE_FRAME = 0;

    public SourceFrame {
        if (!Uids.isValid(sopClassUid)) {
            throw new SegmentationException("sourceFrame: SOPClassUID must be a UID, found " + quoted(sopClassUid));
        }
        if (!Uids.isValid(sopInstanceUid)) {
            throw new SegmentationException("sourceFrame: SOPInstanceUID must be a UID, found " + quoted(sopInstanceUid));
        }
        if (referencedFrameNumber < 0) {
            throw new SegmentationException("sourceFrame " + sopInstanceUid + ": referencedFrameNumber must be >= 1 (or "
                    + SINGLE_FRAME + " for a single-frame image), found " + referencedFrameNumber);
        }
        String where = "sourceFrame " + sopInstanceUid + (referencedFrameNumber > 0 ? " frame " + referencedFrameNumber : "");
        imagePositionPatient = finite(where, "ImagePositionPatient", imagePositionPatient, 3);
        imageOrientationPatient = finite(where, "ImageOrientationPatient", imageOrientationPatient, 6);
        pixelSpacing = finite(where, "PixelSpacing", pixelSpacing, 2);
        if (pixelSpacing[0] <= 0 || pixelSpacing[1] <= 0) {
            throw new SegmentationException(where + ": PixelSpacing must be positive, found " + SourceImages.fmt(pixelSpacing));
        }
        if (!(Double.isNaN(sliceThickness) || sliceThickness > 0 && Double.isFinite(sliceThickness))) {
            throw new SegmentationException(where + ": sliceThickness must be positive or NaN (unknown), found " + sliceThickness);
        }
    }

    /** True when the source is one frame of a multi-frame image (the SEG then carries Referenced Frame Number). */
    public boolean isFrameOfMultiFrameImage() {
        return referencedFrameNumber != SINGLE_FRAME;
    }

    @Override
    public double[] imagePositionPatient() {
        return imagePositionPatient.clone();
    }

    @Override
    public double[] imageOrientationPatient() {
        return imageOrientationPatient.clone();
    }

    @Override
    public double[] pixelSpacing() {
        return pixelSpacing.clone();
    }

    /**
     * The frames of one source image header: one for a single-frame image (its Image Position/Orientation Patient,
     * Pixel Spacing, Slice Thickness), one per frame for a multi-frame image with functional groups (Enhanced CT:
     * Plane Position, Plane Orientation and Pixel Measures from the Per-frame, else the Shared Functional Groups).
     *
     * @throws SegmentationException naming the attribute missing or invalid
     */
    public static List<SourceFrame> framesOf(AttributeList header) {
        String sopClass = uid(header, TagFromName.SOPClassUID, TagFromName.MediaStorageSOPClassUID);
        String sopInstance = uid(header, TagFromName.SOPInstanceUID, TagFromName.MediaStorageSOPInstanceUID);
        AttributeList shared = DicomAttributes.firstItem(header, TagFromName.SharedFunctionalGroupsSequence);
        Attribute perFrame = header.get(TagFromName.PerFrameFunctionalGroupsSequence);
        if (shared == null && !(perFrame instanceof SequenceAttribute)) {
            return List.of(new SourceFrame(sopClass, sopInstance, SINGLE_FRAME,
                    required(sopInstance, header, TagFromName.ImagePositionPatient, 3),
                    required(sopInstance, header, TagFromName.ImageOrientationPatient, 6),
                    required(sopInstance, header, TagFromName.PixelSpacing, 2),
                    thickness(header)));
        }
        int count = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.NumberOfFrames, 1);
        SequenceAttribute items = perFrame instanceof SequenceAttribute s ? s : null;
        if (items != null && items.getNumberOfItems() != count) {
            throw new SegmentationException("source " + sopInstance + ": PerFrameFunctionalGroupsSequence must hold one item "
                    + "per frame (NumberOfFrames " + count + "), found " + items.getNumberOfItems());
        }
        List<SourceFrame> frames = new ArrayList<>(count);
        for (int f = 1; f <= count; f++) {
            AttributeList own = items == null ? null : items.getItem(f - 1).getAttributeList();
            String where = sopInstance + " frame " + f;
            AttributeList position = group(own, shared, TagFromName.PlanePositionSequence);
            AttributeList orientation = group(own, shared, TagFromName.PlaneOrientationSequence);
            AttributeList measures = group(own, shared, TagFromName.PixelMeasuresSequence);
            frames.add(new SourceFrame(sopClass, sopInstance, f,
                    required(where, position, TagFromName.ImagePositionPatient, 3),
                    required(where, orientation, TagFromName.ImageOrientationPatient, 6),
                    required(where, measures, TagFromName.PixelSpacing, 2),
                    thickness(measures != null ? measures : header)));
        }
        return frames;
    }

    /** The functional group macro's item: the frame's own if it has one, else the shared one. */
    private static AttributeList group(AttributeList own, AttributeList shared, AttributeTag sequence) {
        AttributeList item = DicomAttributes.firstItem(own, sequence);
        return item != null ? item : DicomAttributes.firstItem(shared, sequence);
    }

    private static String uid(AttributeList header, AttributeTag tag, AttributeTag fileMetaTag) {
        String v = Attributes.string(header, tag);
        return v != null ? v : Attributes.string(header, fileMetaTag);
    }

    private static double[] required(String where, AttributeList list, AttributeTag tag, int count) {
        double[] v = DicomAttributes.doubles(list, tag);
        if (v == null || v.length != count) {
            throw new SegmentationException("source " + where + ": " + DicomAttributes.name(tag) + " must hold " + count
                    + " numbers (geometry is required), found " + (v == null ? "none" : SourceImages.fmt(v)));
        }
        return v;
    }

    private static double thickness(AttributeList list) {
        double[] t = DicomAttributes.doubles(list, TagFromName.SliceThickness);
        return t != null && t.length == 1 && t[0] > 0 && Double.isFinite(t[0]) ? t[0] : Double.NaN;
    }

    private static double[] finite(String where, String name, double[] v, int count) {
        if (v == null || v.length != count) {
            throw new SegmentationException(where + ": " + name + " must hold " + count + " numbers, found "
                    + (v == null ? "none" : v.length));
        }
        for (double d : v) {
            if (!Double.isFinite(d)) {
                throw new SegmentationException(where + ": " + name + " must be finite, found " + SourceImages.fmt(v));
            }
        }
        return v.clone();
    }

    private static String quoted(String s) {
        return s == null ? "none" : "'" + s + "'";
    }
}
