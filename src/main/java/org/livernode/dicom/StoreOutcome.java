package org.livernode.dicom;

/**
 * What became of one instance offered to the node (by C-STORE or STOW-RS): the status, and the UIDs it
 * names (SOP Class and Instance from the data set when stored, else from the command or File Meta
 * Information; Study and Series only when stored).
 */
public record StoreOutcome(DimseStatus status, String sopClassUid, String sopInstanceUid, String studyUid,
                           String seriesUid) {
    public boolean isStored() {
        return status.isSuccess();
    }
}
