package org.livernode.dicom.attributes;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The SOP Common and General Series attributes of an object the node makes in a series of its own (SEG, SR,
 * overlay): its class and UIDs, and the creation date and time as instance, series (and content) date and time.
 */
public record NewSeries(String sopClassUid, String modality, String seriesInstanceUid, int seriesNumber,
                        String seriesDescription, LocalDateTime created) {

    public String date() {
        return created.format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    public String time() {
        return created.format(DateTimeFormatter.ofPattern("HHmmss.SSS"));
    }

    /** Puts the SOP Common and General Series attributes of the instance {@code sopInstanceUid} of this series. */
    public void putInto(AttributeList list, String sopInstanceUid) {
        Attributes.put(list, TagFromName.SOPClassUID, sopClassUid);
        Attributes.put(list, TagFromName.SOPInstanceUID, sopInstanceUid);
        Attributes.put(list, TagFromName.InstanceCreationDate, date());
        Attributes.put(list, TagFromName.InstanceCreationTime, time());
        Attributes.put(list, TagFromName.Modality, modality);
        Attributes.put(list, TagFromName.SeriesInstanceUID, seriesInstanceUid);
        Attributes.put(list, TagFromName.SeriesNumber, Integer.toString(seriesNumber));
        Attributes.put(list, TagFromName.SeriesDescription, seriesDescription);
        Attributes.put(list, TagFromName.SeriesDate, date());
        Attributes.put(list, TagFromName.SeriesTime, time());
    }
}
