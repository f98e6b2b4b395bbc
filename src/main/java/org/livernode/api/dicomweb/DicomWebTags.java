package org.livernode.api.dicomweb;

import com.pixelmed.dicom.AttributeTag;

/** Tags DICOMweb needs that PixelMed's TagFromName (2022) lacks or names differently. */
final class DicomWebTags {
    static final AttributeTag INSTANCE_AVAILABILITY = new AttributeTag(0x0008, 0x0056);
    static final AttributeTag REFERENCED_SOP_CLASS_UID = new AttributeTag(0x0008, 0x1150);
    static final AttributeTag REFERENCED_SOP_INSTANCE_UID = new AttributeTag(0x0008, 0x1155);
    static final AttributeTag RETRIEVE_URL = new AttributeTag(0x0008, 0x1190);
    static final AttributeTag FAILURE_REASON = new AttributeTag(0x0008, 0x1197);
    static final AttributeTag FAILED_SOP_SEQUENCE = new AttributeTag(0x0008, 0x1198);
    static final AttributeTag REFERENCED_SOP_SEQUENCE = new AttributeTag(0x0008, 0x1199);
    static final AttributeTag AVAILABLE_TRANSFER_SYNTAX_UID = new AttributeTag(0x0008, 0x3002);
    static final AttributeTag NUMBER_OF_STUDY_RELATED_SERIES = new AttributeTag(0x0020, 0x1206);
    static final AttributeTag NUMBER_OF_STUDY_RELATED_INSTANCES = new AttributeTag(0x0020, 0x1208);
    static final AttributeTag NUMBER_OF_SERIES_RELATED_INSTANCES = new AttributeTag(0x0020, 0x1209);

    private DicomWebTags() {
    }
}
