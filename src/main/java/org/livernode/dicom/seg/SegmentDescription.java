package org.livernode.dicom.seg;

import java.util.Objects;

/**
 * What one segment of a Segmentation represents: its label, Segmented Property Category and Type, and the
 * colour a viewer should use (Recommended Display CIELab Value, the DICOM 16-bit encoding).
 */
public record SegmentDescription(String label, Code category, Code type, int[] recommendedCieLab) {

    /** SNOMED CT 123037004 "Anatomical Structure". */
    public static final Code ANATOMICAL_STRUCTURE = new Code("123037004", "SCT", "Anatomical Structure");
    /** SNOMED CT 10200004 "Liver". */
    public static final Code LIVER = new Code("10200004", "SCT", "Liver");

    /** The liver, shown in a brownish red (CIELab about 47, 40, 33). */
    public static SegmentDescription liver() {
        return new SegmentDescription("Liver", ANATOMICAL_STRUCTURE, LIVER, new int[] {30801, 45846, 42845});
    }

    public SegmentDescription {
        if (Objects.requireNonNull(label, "label").isBlank() || label.length() > 64) {
            throw new IllegalArgumentException("SegmentDescription.label: must be 1 to 64 characters, found '" + label + "'");
        }
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(type, "type");
        if (recommendedCieLab == null || recommendedCieLab.length != 3) {
            throw new IllegalArgumentException("SegmentDescription.recommendedCieLab: must hold 3 values (L*, a*, b*), found "
                    + (recommendedCieLab == null ? "null" : recommendedCieLab.length + " values"));
        }
        for (int v : recommendedCieLab) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException("SegmentDescription.recommendedCieLab: values must be within 0..65535, found " + v);
            }
        }
        recommendedCieLab = recommendedCieLab.clone();
    }

    @Override
    public int[] recommendedCieLab() {
        return recommendedCieLab.clone();
    }
}
