package org.livernode.dicom.seg;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Segmentation read back by {@link SegmentationReader}, BINARY or LABELMAP alike: frames per segment with their
 * masks; {@code liverSegmentNumber} is the segment that holds the liver (see {@link SegmentationReader}).
 */
public record DecodedSegmentation(String sopInstanceUid, String seriesInstanceUid, String studyInstanceUid,
                                  String sopClassUid, String segmentationType, String manufacturer,
                                  String frameOfReferenceUid, int rows, int columns,
                                  double[] imageOrientationPatient, double[] pixelSpacing,
                                  Map<Integer, String> segmentLabels, int liverSegmentNumber,
                                  List<SegmentationFrame> frames) {

    public DecodedSegmentation {
        segmentLabels = Map.copyOf(segmentLabels);
        frames = List.copyOf(frames);
    }

    /** Masks of one segment keyed by the SOP Instance UID of the source image each frame references. */
    public Map<String, byte[]> masksByReferencedSopInstanceUid(int segmentNumber) {
        Map<String, byte[]> masks = new LinkedHashMap<>();
        for (SegmentationFrame f : frames) {
            if (f.segmentNumber() == segmentNumber && f.referencedSopInstanceUid() != null) {
                masks.put(f.referencedSopInstanceUid(), f.mask());
            }
        }
        return masks;
    }

    /** The frames of one segment, in frame order. */
    public List<SegmentationFrame> framesOf(int segmentNumber) {
        return frames.stream().filter(f -> f.segmentNumber() == segmentNumber).toList();
    }
}
