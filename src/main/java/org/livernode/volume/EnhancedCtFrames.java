package org.livernode.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of an Enhanced CT image as slices: each frame's Plane Position, Plane Orientation, Pixel Measures,
 * Pixel Value Transformation and CT Image Frame Type, from its Per-frame Functional Groups item or else the Shared
 * one, are written into a flat copy of the header as the single-frame attributes (Image Position Patient, ...),
 * with Referenced Frame Number (0008,1160) naming the frame, so the rest of the node reads a frame as a slice.
 */
final class EnhancedCtFrames {

    /** Functional group macros read per frame, and the attributes each holds. */
    private static final AttributeTag[][] GROUPS = {
            {TagFromName.PlanePositionSequence, TagFromName.ImagePositionPatient},
            {TagFromName.PlaneOrientationSequence, TagFromName.ImageOrientationPatient},
            {TagFromName.PixelMeasuresSequence, TagFromName.PixelSpacing, TagFromName.SliceThickness,
                    TagFromName.SpacingBetweenSlices},
            {TagFromName.PixelValueTransformationSequence, TagFromName.RescaleIntercept, TagFromName.RescaleSlope,
                    TagFromName.RescaleType},
            {TagFromName.CTImageFrameTypeSequence, TagFromName.FrameType},
    };

    private EnhancedCtFrames() {
    }

    static boolean hasFunctionalGroups(AttributeList list) {
        return list.get(TagFromName.PerFrameFunctionalGroupsSequence) != null
                || list.get(TagFromName.SharedFunctionalGroupsSequence) != null;
    }

    static List<SliceHeader> split(Path file, AttributeList list, String ts, String sop, String sopClass) {
        int frames = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1);
        AttributeList shared = firstItem(list.get(TagFromName.SharedFunctionalGroupsSequence));
        SequenceAttribute perFrame = list.get(TagFromName.PerFrameFunctionalGroupsSequence) instanceof SequenceAttribute s
                ? s : null;
        if (perFrame != null && perFrame.getNumberOfItems() != frames) {
            throw new VolumeException("rule 'one Per-frame Functional Groups item per frame' failed for " + file
                    + ": Number of Frames is " + frames + ", found " + perFrame.getNumberOfItems() + " items");
        }
        AttributeList common = new AttributeList();
        common.putAll(list);
        common.remove(TagFromName.SharedFunctionalGroupsSequence);
        common.remove(TagFromName.PerFrameFunctionalGroupsSequence);
        List<SliceHeader> slices = new ArrayList<>(frames);
        for (int f = 1; f <= frames; f++) {
            AttributeList own = perFrame == null ? null : perFrame.getItem(f - 1).getAttributeList();
            AttributeList flat = new AttributeList();
            flat.putAll(common);
            for (AttributeTag[] group : GROUPS) {
                AttributeList macro = firstItem(own == null ? null : own.get(group[0]));
                if (macro == null) {
                    macro = firstItem(shared == null ? null : shared.get(group[0]));
                }
                for (int a = 1; macro != null && a < group.length; a++) {
                    Attribute value = macro.get(group[a]);
                    if (value != null) {
                        flat.put(value);
                    }
                }
            }
            flat.put(frameNumber(f));
            slices.add(new SliceHeader(file, f, frames, flat, ts, sop, sopClass));
        }
        return slices;
    }

    private static AttributeList firstItem(Attribute a) {
        return a instanceof SequenceAttribute s && s.getNumberOfItems() > 0 ? s.getItem(0).getAttributeList() : null;
    }

    private static Attribute frameNumber(int f) {
        try {
            IntegerStringAttribute a = new IntegerStringAttribute(TagFromName.ReferencedFrameNumber);
            a.addValue(f);
            return a;
        } catch (DicomException e) {
            throw new IllegalStateException("cannot set Referenced Frame Number " + f, e);
        }
    }
}
