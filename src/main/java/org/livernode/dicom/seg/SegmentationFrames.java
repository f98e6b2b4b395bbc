package org.livernode.dicom.seg;

import org.livernode.dicom.attributes.Attributes;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The frame-level part of a one-segment BINARY Segmentation: functional groups, dimensions and the 1-bit Pixel Data.
 * Frame i is the mask of source frame {@code frameSources[i]}; frames keep the caller's source order.
 */
final class SegmentationFrames {

    static final int SEGMENT_NUMBER = 1;
    private static final Code DERIVATION_SEGMENTATION = new Code("113076", "DCM", "Segmentation");
    private static final Code PURPOSE_SOURCE_IMAGE = new Code("121322", "DCM", "Source image for image processing operation");

    private final SourceImages sources;
    private final int[] frameSources;

    SegmentationFrames(SourceImages sources, boolean omitEmptyFrames) {
        this.sources = sources;
        List<Integer> kept = new ArrayList<>();
        for (int k = 0; k < sources.size(); k++) {
            if (!omitEmptyFrames || !sources.isEmpty(k)) {
                kept.add(k);
            }
        }
        if (kept.isEmpty()) {
            // A SEG needs at least one frame: an all-empty result keeps the first slice's empty frame.
            kept.add(0);
        }
        frameSources = kept.stream().mapToInt(Integer::intValue).toArray();
    }

    int frameCount() {
        return frameSources.length;
    }

    int[] frameSources() {
        return frameSources.clone();
    }

    /** Number of Frames, Shared and Per-frame Functional Groups, Dimension Organization/Index, Pixel Data. */
    void addTo(AttributeList seg, String dimensionOrganizationUid) {
        Attributes.put(seg, TagFromName.NumberOfFrames, Integer.toString(frameCount()));
        seg.put(sharedFunctionalGroups());
        seg.put(perFrameFunctionalGroups());
        addDimensions(seg, dimensionOrganizationUid);
        seg.put(pixelData());
    }

    private SequenceAttribute sharedFunctionalGroups() {
        AttributeList measures = new AttributeList();
        DicomAttributes.putDecimals(measures, TagFromName.PixelSpacing, sources.pixelSpacing);
        DicomAttributes.putDecimals(measures, TagFromName.SliceThickness, sources.sliceThickness);
        AttributeList orientation = new AttributeList();
        DicomAttributes.putDecimals(orientation, TagFromName.ImageOrientationPatient, sources.orientation);
        AttributeList shared = new AttributeList();
        DicomAttributes.putSequence(shared, TagFromName.PixelMeasuresSequence, measures);
        DicomAttributes.putSequence(shared, TagFromName.PlaneOrientationSequence, orientation);
        SequenceAttribute seq = new SequenceAttribute(TagFromName.SharedFunctionalGroupsSequence);
        seq.addItem(shared);
        return seq;
    }

    private SequenceAttribute perFrameFunctionalGroups() {
        int[] positionIndex = positionIndices();
        SequenceAttribute seq = new SequenceAttribute(TagFromName.PerFrameFunctionalGroupsSequence);
        for (int f = 0; f < frameSources.length; f++) {
            SourceFrame source = sources.frames.get(frameSources[f]);
            AttributeList frame = new AttributeList();

            AttributeList sourceImage = new AttributeList();
            Attributes.put(sourceImage, TagFromName.ReferencedSOPClassUID, source.sopClassUid());
            Attributes.put(sourceImage, TagFromName.ReferencedSOPInstanceUID, source.sopInstanceUid());
            if (source.isFrameOfMultiFrameImage()) {
                Attributes.put(sourceImage, TagFromName.ReferencedFrameNumber, Integer.toString(source.referencedFrameNumber()));
            }
            DicomAttributes.putCode(sourceImage, TagFromName.PurposeOfReferenceCodeSequence, PURPOSE_SOURCE_IMAGE);
            AttributeList derivation = new AttributeList();
            DicomAttributes.putCode(derivation, TagFromName.DerivationCodeSequence, DERIVATION_SEGMENTATION);
            DicomAttributes.putSequence(derivation, TagFromName.SourceImageSequence, sourceImage);
            DicomAttributes.putSequence(frame, TagFromName.DerivationImageSequence, derivation);

            AttributeList content = new AttributeList();
            DicomAttributes.putUnsignedLongs(content, TagFromName.DimensionIndexValues, SEGMENT_NUMBER, positionIndex[f]);
            DicomAttributes.putSequence(frame, TagFromName.FrameContentSequence, content);

            AttributeList position = new AttributeList();
            DicomAttributes.putDecimals(position, TagFromName.ImagePositionPatient, source.imagePositionPatient());
            DicomAttributes.putSequence(frame, TagFromName.PlanePositionSequence, position);

            AttributeList segment = new AttributeList();
            DicomAttributes.putUnsignedShorts(segment, TagFromName.ReferencedSegmentNumber, SEGMENT_NUMBER);
            DicomAttributes.putSequence(frame, TagFromName.SegmentIdentificationSequence, segment);
            seq.addItem(frame);
        }
        return seq;
    }

    /** 1-based rank of each frame's position along the slice normal (the Image Position Patient dimension). */
    private int[] positionIndices() {
        double[] along = new double[frameSources.length];
        for (int f = 0; f < frameSources.length; f++) {
            along[f] = sources.normalPositions[frameSources[f]];
        }
        double[] sorted = along.clone();
        Arrays.sort(sorted);
        int[] index = new int[frameSources.length];
        for (int f = 0; f < frameSources.length; f++) {
            index[f] = Arrays.binarySearch(sorted, along[f]) + 1;
        }
        return index;
    }

    /** Common Instance Reference: the source series and the instances the frames were derived from, each once. */
    void addCommonInstanceReference(AttributeList seg) {
        AttributeList first = sources.instances.get(0);
        List<AttributeList> instances = new ArrayList<>();
        java.util.Set<String> named = new java.util.HashSet<>();
        for (int k : frameSources) {
            SourceFrame source = sources.frames.get(k);
            if (!named.add(source.sopInstanceUid())) {
                continue;
            }
            AttributeList ref = new AttributeList();
            Attributes.put(ref, TagFromName.ReferencedSOPClassUID, source.sopClassUid());
            Attributes.put(ref, TagFromName.ReferencedSOPInstanceUID, source.sopInstanceUid());
            instances.add(ref);
        }
        AttributeList series = new AttributeList();
        Attributes.put(series, TagFromName.SeriesInstanceUID, Attributes.string(first, TagFromName.SeriesInstanceUID));
        DicomAttributes.putSequence(series, TagFromName.ReferencedInstanceSequence, instances.toArray(new AttributeList[0]));
        DicomAttributes.putSequence(seg, TagFromName.ReferencedSeriesSequence, series);
    }

    private void addDimensions(AttributeList seg, String organizationUid) {
        AttributeList organization = new AttributeList();
        Attributes.put(organization, TagFromName.DimensionOrganizationUID, organizationUid);
        DicomAttributes.putSequence(seg, TagFromName.DimensionOrganizationSequence, organization);
        DicomAttributes.putSequence(seg, TagFromName.DimensionIndexSequence,
                dimension(organizationUid, TagFromName.ReferencedSegmentNumber, TagFromName.SegmentIdentificationSequence,
                        "Segment Number"),
                dimension(organizationUid, TagFromName.ImagePositionPatient, TagFromName.PlanePositionSequence,
                        "Image Position Patient"));
    }

    private static AttributeList dimension(String organizationUid, com.pixelmed.dicom.AttributeTag pointer,
                                           com.pixelmed.dicom.AttributeTag group, String label) {
        AttributeList item = new AttributeList();
        Attributes.put(item, TagFromName.DimensionOrganizationUID, organizationUid);
        DicomAttributes.putTag(item, TagFromName.DimensionIndexPointer, pointer);
        DicomAttributes.putTag(item, TagFromName.FunctionalGroupPointer, group);
        Attributes.put(item, TagFromName.DimensionDescriptionLabel, label);
        return item;
    }

    /** All frames' bits packed back to back, little-endian bit order, padded to an even length. */
    private OtherByteAttribute pixelData() {
        int pixelsPerFrame = sources.rows * sources.columns;
        long bits = (long) pixelsPerFrame * frameSources.length;
        long bytes = (bits + 7) / 8;
        if (bytes + (bytes & 1) > Integer.MAX_VALUE - 8) {
            throw new SegmentationException("masks: Pixel Data must fit in one attribute, found " + bits + " bits");
        }
        byte[] packed = new byte[(int) (bytes + (bytes & 1))];
        for (int f = 0; f < frameSources.length; f++) {
            java.util.BitSet mask = sources.masks.get(frameSources[f]);
            long frameStart = (long) f * pixelsPerFrame;
            for (int i = mask.nextSetBit(0); i >= 0; i = mask.nextSetBit(i + 1)) {
                long bit = frameStart + i;
                packed[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
            }
        }
        OtherByteAttribute a = new OtherByteAttribute(TagFromName.PixelData);
        try {
            a.setValues(packed);
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new SegmentationException("cannot encode Pixel Data: " + e.getMessage(), e);
        }
        return a;
    }
}
