package org.livernode.store;

import org.livernode.dicom.vocabulary.Uids;
import java.time.Instant;

/**
 * What the index keeps of one stored instance, read from its header and the association it came on.
 * UIDs are checked here, where the object is built.
 */
public record ReceivedInstance(String studyUid, String seriesUid, String sopInstanceUid, String sopClassUid,
                               String transferSyntaxUid, String callingAeTitle, String callingHost,
                               String modality, Integer seriesNumber, String seriesDescription,
                               Integer instanceNumber, String imageType, String imagePosition,
                               Integer imagesInAcquisition,
                               String patientId, String patientName, String studyDate,
                               String studyDescription, String accessionNumber,
                               long sizeBytes, Instant receivedAt, String path) {
    public ReceivedInstance {
        Uids.require("Study Instance UID", studyUid);
        Uids.require("Series Instance UID", seriesUid);
        Uids.require("SOP Instance UID", sopInstanceUid);
        Uids.require("SOP Class UID", sopClassUid);
        Uids.require("Transfer Syntax UID", transferSyntaxUid);
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0, found " + sizeBytes);
        }
        if (receivedAt == null || path == null || path.isEmpty()) {
            throw new IllegalArgumentException("receivedAt and path are required, found " + receivedAt + ", " + path);
        }
    }
}
