package org.livernode.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.dicom.vocabulary.Uids;
import org.livernode.store.DiskFloor;

import java.util.Optional;

/**
 * The one home of the rules that refuse a received instance, for C-STORE and STOW-RS alike: first on what its
 * command (or File Meta Information) says, before a byte of the data set is read (disk floor, SOP class and transfer
 * syntax not negotiated, no valid SOP Instance UID), then on the data set read whole (cut short, UIDs missing or
 * invalid or not the command's, not of the study it was sent to). Each refusal is a failure status whose Error Comment
 * names the rule; {@link InstanceReceiver} logs, counts and keeps what is refused.
 */
@ApplicationScoped
class AdmissionRules {

    @Inject
    DiskFloor diskFloor;

    /**
     * The refusal of an instance from its command alone, or null to read it; {@code newData} is false for a file
     * already stored (reindexing), which the disk floor does not concern.
     */
    DimseStatus beforeData(String sopClassUid, String sopInstanceUid, String abstractSyntaxUid, String transferSyntaxUid,
                           boolean newData) {
        Optional<String> full = newData ? diskFloor.refusal(0) : Optional.empty();
        if (full.isPresent()) {
            return DimseStatus.failure(DimseStatus.OUT_OF_RESOURCES, full.get());
        }
        if (!sopClassUid.equals(abstractSyntaxUid) || !StoragePresentationContextPolicy.accepts(sopClassUid, transferSyntaxUid)) {
            return DimseStatus.failure(DimseStatus.SOP_CLASS_NOT_SUPPORTED,
                    "SOP Class " + sopClassUid + " was not negotiated on this presentation context");
        }
        if (!Uids.isValid(sopInstanceUid)) {
            return DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND,
                    "Affected SOP Instance UID is missing or not a valid UID: '" + sopInstanceUid + "'");
        }
        return null;
    }

    /**
     * The refusal of a data set read whole, or null to archive it.
     *
     * @param command          what the C-STORE command (or the File Meta Information) said the instance is
     * @param requiredStudyUid the Study Instance UID it must have (STOW-RS to a study URL), or null
     */
    static DimseStatus ofDataSet(AttributeList list, Command command, String requiredStudyUid) {
        String incomplete = incompleteness(list, command.transferSyntaxUid());
        if (incomplete != null) {
            return DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND, incomplete);
        }
        DimseStatus bad = checkUids(list, command);
        String study = value(list, TagFromName.StudyInstanceUID);
        if (bad == null && requiredStudyUid != null && !requiredStudyUid.equals(study)) {
            bad = DimseStatus.failure(DimseStatus.DATASET_DOES_NOT_MATCH_SOP_CLASS, "Study Instance UID (0020,000D) "
                    + study + " differs from the study " + requiredStudyUid + " it was sent to");
        }
        return bad;
    }

    /** What a C-STORE command or a file's File Meta Information says an instance is. */
    record Command(String sopClassUid, String sopInstanceUid, String transferSyntaxUid) {
    }

    /**
     * PixelMed logs, rather than throws, when a data set ends early; what is left then lacks its Pixel Data
     * (every SOP class we accept has it) or holds fewer pixel bytes than Rows x Columns x frames needs.
     */
    private static String incompleteness(AttributeList list, String transferSyntaxUid) {
        if (SopClasses.isStructuredReport(value(list, TagFromName.SOPClassUID))) {
            // An SR has no Pixel Data: its Content Sequence (0040,A730) comes late in the data set and must be there.
            return list.get(TagFromName.ContentSequence) == null
                    ? "data set cannot be read: no Content Sequence (0040,A730), the SR is cut short or lacks it" : null;
        }
        Attribute pixels = list.get(TagFromName.PixelData);
        if (pixels == null) {
            return "data set cannot be read: no complete Pixel Data (7FE0,0010), the data set is cut short or lacks it";
        }
        if (!TransferSyntax.isEncapsulated(transferSyntaxUid)) {
            long expected = (long) Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0)
                    * Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0)
                    * Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1)
                    * Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1))
                    * Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 16) / 8;
            long found = pixels.getVL() & 0xffffffffL;
            if (found < expected) {
                return "data set cannot be read: Pixel Data has " + found + " bytes, Rows x Columns x frames need " + expected;
            }
        }
        return null;
    }

    private static DimseStatus checkUids(AttributeList list, Command command) {
        String sopClass = value(list, TagFromName.SOPClassUID);
        if (sopClass.isEmpty()) {
            return DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND, "SOP Class UID (0008,0016) is missing or empty");
        }
        if (!sopClass.equals(command.sopClassUid())) {
            return DimseStatus.failure(DimseStatus.DATASET_DOES_NOT_MATCH_SOP_CLASS,
                    "SOP Class UID (0008,0016) " + sopClass + " differs from the request's " + command.sopClassUid());
        }
        String sopInstance = value(list, TagFromName.SOPInstanceUID);
        String[][] required = {
                {"SOP Instance UID (0008,0018)", sopInstance},
                {"Study Instance UID (0020,000D)", value(list, TagFromName.StudyInstanceUID)},
                {"Series Instance UID (0020,000E)", value(list, TagFromName.SeriesInstanceUID)}};
        for (String[] uid : required) {
            if (uid[1].isEmpty()) {
                return DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND, uid[0] + " is missing or empty");
            }
            if (!Uids.isValid(uid[1])) {
                return DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND, uid[0] + " is not a valid UID");
            }
        }
        if (!sopInstance.equals(command.sopInstanceUid())) {
            return DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND,
                    "SOP Instance UID (0008,0018) differs from the request's Affected SOP Instance UID");
        }
        return null;
    }

    /** The first value without its padding, or "" when absent. */
    static String value(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }
}
