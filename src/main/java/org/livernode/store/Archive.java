package org.livernode.store;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.dicom.vocabulary.TransferSyntaxes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Archiving, after admission: an instance that was accepted (or that the node made itself) is moved into
 * {@code studies/}, indexed, and replaces an earlier copy of the same SOP Instance. The C-STORE service, STOW-RS,
 * the start-up reconciliation and the job runner all archive through here; the refusal rules are not here.
 */
@ApplicationScoped
public class Archive {

    private static final Logger LOG = Logger.getLogger(Archive.class);

    @Inject
    InstanceStore store;
    @Inject
    InstanceIndex index;
    @Inject
    jakarta.enterprise.event.Event<InstanceArchived> archived;

    /** Images in Acquisition (0020,1002); PixelMed's dictionary names no constant for it. */
    private static final AttributeTag IMAGES_IN_ACQUISITION = new AttributeTag(0x0020, 0x1002);

    /** Who sent an instance: the calling AE title and host as the index records them. */
    public record Sender(String callingAeTitle, String callingHost) {
    }

    /**
     * Moves the admitted, completely written {@code file} (whose data set is {@code list}) into place and indexes it;
     * the file of an earlier copy it replaces is deleted. Returns the stored file.
     */
    public Path archive(Path file, AttributeList list, String transferSyntaxUid, Sender from, Instant receivedAt)
            throws IOException {
        Path stored = indexed(store.moveIntoPlace(file, value(list, TagFromName.StudyInstanceUID),
                value(list, TagFromName.SeriesInstanceUID), value(list, TagFromName.SOPInstanceUID)),
                list, transferSyntaxUid, from, receivedAt);
        archived.fire(new InstanceArchived(value(list, TagFromName.SeriesInstanceUID), value(list, TagFromName.SOPClassUID),
                stored));
        return stored;
    }

    private Path indexed(Path stored, AttributeList list, String transferSyntaxUid, Sender from, Instant receivedAt)
            throws IOException {
        String relative = store.relative(stored);
        String replaced = index.index(received(list, transferSyntaxUid, from, Files.size(stored), receivedAt, relative));
        if (replaced != null && !replaced.equals(relative)) {
            Files.deleteIfExists(store.resolve(replaced));
        }
        return stored;
    }

    /**
     * Stores and indexes an instance the node made itself (a SEG, SR or overlay image) as an instance of its study:
     * the file is copied into place (the caller deletes its own); the index records {@code ourAeTitle} as its sender.
     */
    public Path storeProduced(Path file, String ourAeTitle) throws IOException {
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        try {
            list.read(file.toFile(), TagFromName.PixelData);
        } catch (DicomException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String ts = value(list, TagFromName.TransferSyntaxUID);
        Path stored = indexed(store.storeProduced(file, value(list, TagFromName.StudyInstanceUID),
                        value(list, TagFromName.SeriesInstanceUID), value(list, TagFromName.SOPInstanceUID)),
                list, ts.isEmpty() ? TransferSyntaxes.EXPLICIT_VR_LE : ts, new Sender(ourAeTitle, "local"), Instant.now());
        LOG.infof("%s: stored our own %s", value(list, TagFromName.SeriesInstanceUID), store.relative(stored));
        return stored;
    }

    private static ReceivedInstance received(AttributeList list, String transferSyntaxUid, Sender from, long size,
                                             Instant receivedAt, String relative) {
        return new ReceivedInstance(value(list, TagFromName.StudyInstanceUID), value(list, TagFromName.SeriesInstanceUID),
                value(list, TagFromName.SOPInstanceUID), value(list, TagFromName.SOPClassUID), transferSyntaxUid,
                from.callingAeTitle(), from.callingHost(),
                value(list, TagFromName.Modality), integer(list, TagFromName.SeriesNumber),
                value(list, TagFromName.SeriesDescription), integer(list, TagFromName.InstanceNumber),
                delimited(list, TagFromName.ImageType), delimited(list, TagFromName.ImagePositionPatient),
                integer(list, IMAGES_IN_ACQUISITION),
                value(list, TagFromName.PatientID), value(list, TagFromName.PatientName),
                value(list, TagFromName.StudyDate), value(list, TagFromName.StudyDescription),
                value(list, TagFromName.AccessionNumber), size, receivedAt, relative);
    }

    private static String value(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    private static String delimited(AttributeList list, AttributeTag tag) {
        String s = Attribute.getDelimitedStringValuesOrEmptyString(list, tag).trim();
        return s.isEmpty() ? null : s;
    }

    private static Integer integer(AttributeList list, AttributeTag tag) {
        String s = value(list, tag);
        try {
            return s.isEmpty() ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
