package org.livernode.dicom.vocabulary;

/** SOP Class UIDs the node accepts, writes or refers to (PS3.6 Annex A). */
public final class SopClasses {
    public static final String VERIFICATION = "1.2.840.10008.1.1";
    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    public static final String ENHANCED_CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2.1";
    public static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";
    /** Label Map Segmentation (Sup 243): one frame holds every segment, each pixel a Segment Number; OHIF's default. */
    public static final String LABEL_MAP_SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.7";
    /** The node's liver volume report (TID 1500) and what other nodes send alike. */
    public static final String ENHANCED_SR_STORAGE = "1.2.840.10008.5.1.4.1.1.88.22";
    public static final String COMPREHENSIVE_SR_STORAGE = "1.2.840.10008.5.1.4.1.1.88.33";
    public static final String COMPREHENSIVE_3D_SR_STORAGE = "1.2.840.10008.5.1.4.1.1.88.34";
    public static final String SECONDARY_CAPTURE_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.7";

    private SopClasses() {
    }

    /** True for the SR storage classes the node accepts (they carry a content tree, no Pixel Data). */
    public static boolean isStructuredReport(String sopClassUid) {
        return ENHANCED_SR_STORAGE.equals(sopClassUid) || COMPREHENSIVE_SR_STORAGE.equals(sopClassUid)
                || COMPREHENSIVE_3D_SR_STORAGE.equals(sopClassUid);
    }

    /** True for the Segmentation storage classes the node reads (BINARY Segmentation and Label Map Segmentation). */
    public static boolean isSegmentation(String sopClassUid) {
        return SEGMENTATION_STORAGE.equals(sopClassUid) || LABEL_MAP_SEGMENTATION_STORAGE.equals(sopClassUid);
    }

    /** True for the CT image storage classes the node segments (single-frame CT and Enhanced CT). */
    public static boolean isCtImage(String sopClassUid) {
        return CT_IMAGE_STORAGE.equals(sopClassUid) || ENHANCED_CT_IMAGE_STORAGE.equals(sopClassUid);
    }
}
