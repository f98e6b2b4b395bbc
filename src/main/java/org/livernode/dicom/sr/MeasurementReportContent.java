package org.livernode.dicom.sr;

import org.livernode.dicom.attributes.Attributes;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.livernode.dicom.seg.Code;
import org.livernode.dicom.vocabulary.SopClasses;

import java.util.ArrayList;
import java.util.List;

import static org.livernode.dicom.sr.ContentItem.RelationshipType.CONTAINS;
import static org.livernode.dicom.sr.ContentItem.RelationshipType.HAS_CONCEPT_MOD;
import static org.livernode.dicom.sr.ContentItem.RelationshipType.HAS_OBS_CONTEXT;

/** The content tree of the node's Measurement Report: TID 1500 rows, then one TID 1411 group (values checked by the writer). */
record MeasurementReportContent(String deviceObserverName, String deviceObserverUid, String softwareVersion, Code findingSite,
                                String trackingIdentifier, String trackingUid, String segSopInstanceUid, int segmentNumber,
                                String algorithmName, String algorithmVersion, double volumeMl, double meanHu,
                                double standardDeviationHu) {

    private static final String MANUFACTURER = MeasurementReportWriter.MANUFACTURER;

    /** The content tree: TID 1500 with one TID 1411 group. */
    ContentItem tree(List<AttributeList> sources, String sourceSeries) {
        List<ContentItem> top = new ArrayList<>();
        top.add(ContentItem.code(HAS_CONCEPT_MOD, SrCodes.LANGUAGE, SrCodes.ENGLISH));
        top.add(ContentItem.code(HAS_OBS_CONTEXT, SrCodes.OBSERVER_TYPE, SrCodes.DEVICE));
        top.add(ContentItem.uidref(HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_UID, deviceObserverUid));
        top.add(ContentItem.text(HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_NAME, deviceObserverName));
        top.add(ContentItem.text(HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_MANUFACTURER, MANUFACTURER));
        top.add(ContentItem.text(HAS_OBS_CONTEXT, SrCodes.DEVICE_OBSERVER_MODEL_NAME, MANUFACTURER + " " + softwareVersion));
        top.add(ContentItem.code(HAS_CONCEPT_MOD, SrCodes.PROCEDURE_REPORTED, SrCodes.IMAGING_PROCEDURE));
        List<ContentItem> library = new ArrayList<>();
        for (AttributeList h : sources) {
            library.add(ContentItem.image(CONTAINS, null, Attributes.string(h, TagFromName.SOPClassUID),
                    Attributes.string(h, TagFromName.SOPInstanceUID), 0));
        }
        top.add(ContentItem.container(CONTAINS, SrCodes.IMAGE_LIBRARY, null,
                List.of(ContentItem.container(CONTAINS, SrCodes.IMAGE_LIBRARY_GROUP, null, library))));
        top.add(ContentItem.container(CONTAINS, SrCodes.IMAGING_MEASUREMENTS, null, List.of(measurementGroup(sourceSeries))));
        return ContentItem.container(null, SrCodes.IMAGING_MEASUREMENT_REPORT, "1500", top);
    }

    private ContentItem measurementGroup(String sourceSeries) {
        Code site = findingSite;
        List<ContentItem> group = new ArrayList<>();
        group.add(ContentItem.text(CONTAINS, SrCodes.TRACKING_IDENTIFIER, trackingIdentifier));
        group.add(ContentItem.uidref(CONTAINS, SrCodes.TRACKING_UNIQUE_IDENTIFIER, trackingUid));
        group.add(ContentItem.code(CONTAINS, SrCodes.FINDING, site));
        group.add(ContentItem.image(CONTAINS, SrCodes.REFERENCED_SEGMENT, SopClasses.SEGMENTATION_STORAGE,
                segSopInstanceUid, segmentNumber));
        group.add(ContentItem.uidref(CONTAINS, SrCodes.SOURCE_SERIES_FOR_SEGMENTATION, sourceSeries));
        group.add(ContentItem.text(HAS_CONCEPT_MOD, SrCodes.ALGORITHM_NAME, algorithmName));
        group.add(ContentItem.text(HAS_CONCEPT_MOD, SrCodes.ALGORITHM_VERSION, algorithmVersion));
        group.add(ContentItem.code(HAS_CONCEPT_MOD, SrCodes.FINDING_SITE, site));
        group.add(ContentItem.num(CONTAINS, SrCodes.VOLUME, volumeMl, 1, SrCodes.MILLILITER, List.of()));
        if (volumeMl > 0) { // no voxels, no HU statistics
            group.add(ContentItem.num(CONTAINS, SrCodes.ATTENUATION_COEFFICIENT, meanHu, 1, SrCodes.HOUNSFIELD_UNIT,
                    List.of(ContentItem.code(HAS_CONCEPT_MOD, SrCodes.DERIVATION, SrCodes.MEAN))));
            group.add(ContentItem.num(CONTAINS, SrCodes.ATTENUATION_COEFFICIENT, standardDeviationHu, 1,
                    SrCodes.HOUNSFIELD_UNIT, List.of(ContentItem.code(HAS_CONCEPT_MOD, SrCodes.DERIVATION, SrCodes.STANDARD_DEVIATION))));
        }
        return ContentItem.container(CONTAINS, SrCodes.MEASUREMENT_GROUP, "1411", group);
    }
}
