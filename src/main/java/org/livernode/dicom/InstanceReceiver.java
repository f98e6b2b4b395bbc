package org.livernode.dicom;

import org.livernode.dicom.vocabulary.SopClasses;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.vocabulary.Uids;
import org.livernode.store.DiskFloor;
import org.livernode.store.Archive;
import org.livernode.security.AuditTrail;
import org.livernode.store.InstanceIndex;
import org.livernode.store.InstanceStore;
import org.livernode.store.RejectedFiles;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Decides what happens to each received instance: refuse up front (disk floor, SOP class not negotiated,
 * bad UIDs in the command), or receive it, check its data set (readable, UIDs present and valid and
 * matching the command), move it into the store and index it. Every refusal is a failure status with an
 * Error Comment, a log line and a metric; refused files are kept in {@code rejected/}.
 */
@ApplicationScoped
public class InstanceReceiver {
    private static final Logger LOG = Logger.getLogger(InstanceReceiver.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);

    @Inject
    InstanceStore store;
    @Inject
    Archive archive;
    @Inject
    NodeMetrics metrics;
    @Inject
    LivernodeConfig config;
    @Inject
    DiskFloor diskFloor;
    @Inject
    RejectedFiles rejectedFiles;
    @Inject
    AuditTrail audit;
    @Inject
    InstanceIndex index;
    @Inject
    java.time.Clock clock;

    /** Per open association (by number): how many instances of each series it stored. */
    private final java.util.concurrent.ConcurrentHashMap<Integer, java.util.Map<String, Integer>> storedBy =
            new java.util.concurrent.ConcurrentHashMap<>();

    InstanceReception begin(AssociationContext assoc, int messageId, String sopClassUid, String sopInstanceUid,
                            String abstractSyntaxUid, String transferSyntaxUid) {
        DimseStatus refusal = refusalBeforeData(sopClassUid, sopInstanceUid, abstractSyntaxUid, transferSyntaxUid, true);
        if (refusal != null) {
            return InstanceReception.refused(assoc, messageId, sopClassUid, sopInstanceUid, transferSyntaxUid, refusal);
        }
        try {
            return InstanceReception.toFile(assoc, messageId, sopClassUid, sopInstanceUid, transferSyntaxUid,
                    store.incomingDir());
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "%s: cannot open a file for %s in incoming/", assoc.log(), sopInstanceUid);
            return InstanceReception.refused(assoc, messageId, sopClassUid, sopInstanceUid, transferSyntaxUid,
                    DimseStatus.failure(DimseStatus.OUT_OF_RESOURCES, "cannot write the instance: " + e.getMessage()));
        }
    }

    private DimseStatus refusalBeforeData(String sopClassUid, String sopInstanceUid, String abstractSyntaxUid,
                                          String transferSyntaxUid, boolean newData) {
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

    /** Admits a C-STORE data set received whole: the data set rules, then the archive. */
    DimseStatus admit(InstanceReception r) {
        StoreOutcome outcome = check(r.file(), new Arrival(r.association.log(), r.association.callingAeTitle(),
                r.association.callingHost(), r.sopClassUid, r.sopInstanceUid, r.transferSyntaxUid,
                "assoc" + r.association.number() + "-msg" + r.messageId, null,
                r.association.tls() == null ? null : r.association.tls().describe()));
        if (outcome.seriesUid() != null) {
            storedBy.computeIfAbsent(r.association.number(), n -> new java.util.concurrent.ConcurrentHashMap<>())
                    .merge(outcome.seriesUid(), 1, Integer::sum);
        }
        return outcome.status();
    }

    /**
     * The association ended; {@code released} when by A-RELEASE (an abort or a cut connection says nothing about
     * whether the sender is done). A series of which it stored at least {@code livernode.selection.min-slices}
     * instances is marked released, so it may complete at once; a sender that opens one association per instance
     * leaves its series to the quiet period. Returns whether some series was marked.
     */
    boolean associationEnded(AssociationContext assoc, boolean released) {
        java.util.Map<String, Integer> stored = storedBy.remove(assoc.number());
        if (!released || stored == null) {
            return false;
        }
        int enough = config.selection().minSlices();
        java.util.List<String> marked = stored.entrySet().stream().filter(e -> e.getValue() >= enough)
                .map(java.util.Map.Entry::getKey).toList();
        if (marked.isEmpty()) {
            return false;
        }
        try {
            index.associationReleased(marked, clock.instant());
            LOG.infof("%s: released after storing %s", assoc.log(), stored);
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("%s: cannot record the release (%s): the quiet period completes its series", assoc.log(), e.getMessage());
            return false;
        }
    }

    /**
     * Stores a Part 10 file that arrived outside DIMSE (STOW-RS) with the same checks, store and index as a
     * C-STORE; its File Meta Information plays the part of the C-STORE command. The file is moved into the
     * store, or into {@code rejected/} when refused.
     *
     * @param origin        who sent it, for log lines and the index (e.g. {@code STOW-RS})
     * @param requiredStudy the Study Instance UID the instance must have (STOW-RS to a study URL), or null
     */
    public StoreOutcome storeUpload(Path part10, String origin, String host, String requiredStudy) {
        return storeFile(part10, origin, host, requiredStudy, true);
    }

    /**
     * Indexes a file found in {@code studies/} that the index lacks, with the checks of an upload but not the disk
     * floor (it is stored already); refused, it moves to {@code rejected/}.
     */
    StoreOutcome reindex(Path stored) {
        return storeFile(stored, "reconcile", "local", null, false);
    }

    private StoreOutcome storeFile(Path part10, String origin, String host, String requiredStudy, boolean newData) {
        // Only the File Meta Information here: check() reads the data set, once.
        AttributeList meta = new AttributeList();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(part10), 1 << 16)) {
            meta.readOnlyMetaInformationHeader(new DicomInputStream(in));
        } catch (Exception e) {
            meta.clear();
        }
        String sopClass = value(meta, TagFromName.MediaStorageSOPClassUID);
        String sopInstance = value(meta, TagFromName.MediaStorageSOPInstanceUID);
        String ts = value(meta, TagFromName.TransferSyntaxUID);
        Arrival arrival = new Arrival(origin + " " + host, origin, host, sopClass, sopInstance, ts,
                "upload-" + part10.getFileName(), requiredStudy, null);
        if (ts.isEmpty()) {
            return refuse(part10, arrival, DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND,
                    "not a DICOM Part 10 file: no File Meta Information with a Transfer Syntax UID (0002,0010)"));
        }
        DimseStatus refusal = refusalBeforeData(sopClass, sopInstance, sopClass, ts, newData);
        if (refusal != null) {
            return refuse(part10, arrival, refusal);
        }
        return check(part10, arrival);
    }

    private StoreOutcome refuse(Path file, Arrival a, DimseStatus status) {
        return new StoreOutcome(reject(file, a, status), a.sopClassUid, a.sopInstanceUid, null, null);
    }

    /** Who sent an instance (over TLS: the peer's certificate) and what its command (or File Meta Information) said it is. */
    private record Arrival(String log, String callingAeTitle, String callingHost, String sopClassUid,
                           String sopInstanceUid, String transferSyntaxUid, String rejectedName,
                           String requiredStudyUid, String tlsPeer) {
    }

    private StoreOutcome check(Path temp, Arrival a) {
        Instant receivedAt = clock.instant();
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(temp), 1 << 16)) {
            list.read(new DicomInputStream(in));
        } catch (Exception e) {
            return refuse(temp, a, DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND,
                    "data set cannot be read: " + e.getMessage()));
        }
        String incomplete = incompleteness(list, a.transferSyntaxUid);
        if (incomplete != null) {
            return refuse(temp, a, DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND, incomplete));
        }
        String sopClass = value(list, TagFromName.SOPClassUID);
        String sopInstance = value(list, TagFromName.SOPInstanceUID);
        String study = value(list, TagFromName.StudyInstanceUID);
        String series = value(list, TagFromName.SeriesInstanceUID);
        DimseStatus bad = checkUids(a, sopClass, sopInstance, study, series);
        if (bad == null && a.requiredStudyUid != null && !a.requiredStudyUid.equals(study)) {
            bad = DimseStatus.failure(DimseStatus.DATASET_DOES_NOT_MATCH_SOP_CLASS, "Study Instance UID (0020,000D) "
                    + study + " differs from the study " + a.requiredStudyUid + " it was sent to");
        }
        if (bad != null) {
            return refuse(temp, a, bad);
        }
        try {
            long size = Files.size(temp);
            archive.archive(temp, list, a.transferSyntaxUid, new Archive.Sender(a.callingAeTitle, a.callingHost), receivedAt);
            metrics.stored(size);
            audit.received(a.callingAeTitle, a.callingHost, a.tlsPeer, study, value(list, TagFromName.PatientID), 1, true);
            LOG.debugf("%s: stored %s of series %s (%d bytes)", a.log, sopInstance, series, size);
            return new StoreOutcome(DimseStatus.success(), sopClass, sopInstance, study, series);
        } catch (Exception e) {
            LOG.errorf(e, "%s: cannot store or index %s of series %s", a.log, sopInstance, series);
            DimseStatus failure = DimseStatus.failure(DimseStatus.PROCESSING_FAILURE,
                    "cannot store or index the instance: " + e.getMessage());
            metrics.refused(failure);
            keepRejected(temp, a);
            return new StoreOutcome(failure, a.sopClassUid, a.sopInstanceUid, null, null);
        }
    }

    /**
     * PixelMed logs, rather than throws, when a data set ends early; what is left then lacks its Pixel Data
     * (every SOP class we accept has it) or holds fewer pixel bytes than Rows x Columns x frames needs.
     */
    private static String incompleteness(AttributeList list, String transferSyntaxUid) {
        if (SopClasses.isStructuredReport(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID))) {
            // An SR has no Pixel Data: its Content Sequence (0040,A730) comes late in the data set and must be there.
            return list.get(TagFromName.ContentSequence) == null
                    ? "data set cannot be read: no Content Sequence (0040,A730), the SR is cut short or lacks it" : null;
        }
        Attribute pixels = list.get(TagFromName.PixelData);
        if (pixels == null) {
            return "data set cannot be read: no complete Pixel Data (7FE0,0010), the data set is cut short or lacks it";
        }
        if (!com.pixelmed.dicom.TransferSyntax.isEncapsulated(transferSyntaxUid)) {
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

    private static DimseStatus checkUids(Arrival r, String sopClass, String sopInstance, String study, String series) {
        if (sopClass.isEmpty()) {
            return DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND, "SOP Class UID (0008,0016) is missing or empty");
        }
        if (!sopClass.equals(r.sopClassUid)) {
            return DimseStatus.failure(DimseStatus.DATASET_DOES_NOT_MATCH_SOP_CLASS,
                    "SOP Class UID (0008,0016) " + sopClass + " differs from the request's " + r.sopClassUid);
        }
        String[][] required = {
                {"SOP Instance UID (0008,0018)", sopInstance},
                {"Study Instance UID (0020,000D)", study},
                {"Series Instance UID (0020,000E)", series}};
        for (String[] uid : required) {
            if (uid[1].isEmpty()) {
                return DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND, uid[0] + " is missing or empty");
            }
            if (!Uids.isValid(uid[1])) {
                return DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND, uid[0] + " is not a valid UID");
            }
        }
        if (!sopInstance.equals(r.sopInstanceUid)) {
            return DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND,
                    "SOP Instance UID (0008,0018) differs from the request's Affected SOP Instance UID");
        }
        return null;
    }

    private DimseStatus reject(Path file, Arrival a, DimseStatus status) {
        LOG.warnf("%s: refused %s (%s): %s", a.log, a.sopInstanceUid, a.rejectedName, status);
        metrics.refused(status);
        keepRejected(file, a);
        return status;
    }

    /** A refused file stays in rejected/ for a human to look at, within its bounds ({@link RejectedFiles}). */
    private void keepRejected(Path temp, Arrival a) {
        if (temp != null && Files.exists(temp)) {
            rejectedFiles.keep(temp, STAMP.format(Instant.now()) + "-" + a.rejectedName + ".dcm", a.log);
        }
    }

    /** A caller refused by an access rule (allow-list, TLS) goes into the audit trail. */
    void refusedCaller(String callingAeTitle, String host, String rule) {
        audit.refused(callingAeTitle, host, rule);
    }

    void refusedUpFront(InstanceReception r) {
        LOG.warnf("%s: refused %s (message %d) before reading it: %s", r.association.log(), r.sopInstanceUid,
                r.messageId, r.refusal());
        metrics.refused(r.refusal());
    }

    private static String value(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }
}
