package org.livernode.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig;
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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.livernode.dicom.AdmissionRules.value;

/**
 * What happens to each received instance (C-STORE, STOW-RS, a file found unindexed at start): refused up front or
 * read into {@code incoming/}, its data set read once and judged by the {@link AdmissionRules}, then archived and
 * audited. Every refusal is a failure status with an Error Comment, a log line and a metric; refused files are kept
 * in {@code rejected/}.
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
    AdmissionRules rules;
    @Inject
    RejectedFiles rejectedFiles;
    @Inject
    AuditTrail audit;
    @Inject
    InstanceIndex index;
    @Inject
    LivernodeConfig config;
    @Inject
    Clock clock;

    /** Per open association (by number): how many instances of each series it stored. */
    private final ConcurrentHashMap<Integer, Map<String, Integer>> storedBy =
            new ConcurrentHashMap<>();

    InstanceReception begin(AssociationContext assoc, int messageId, String sopClassUid, String sopInstanceUid,
                            String abstractSyntaxUid, String transferSyntaxUid) {
        DimseStatus refusal = rules.beforeData(sopClassUid, sopInstanceUid, abstractSyntaxUid, transferSyntaxUid, true);
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

    /** Admits a C-STORE data set received whole: the data set rules, then the archive. */
    DimseStatus admit(InstanceReception r) {
        StoreOutcome outcome = judgeAndArchive(r.file(), new Arrival(r.association.log(), r.association.callingAeTitle(),
                r.association.callingHost(), new AdmissionRules.Command(r.sopClassUid, r.sopInstanceUid, r.transferSyntaxUid),
                "assoc" + r.association.number() + "-msg" + r.messageId, null,
                r.association.tls() == null ? null : r.association.tls().describe()));
        if (outcome.seriesUid() != null) {
            storedBy.computeIfAbsent(r.association.number(), n -> new ConcurrentHashMap<>())
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
        Map<String, Integer> stored = storedBy.remove(assoc.number());
        if (!released || stored == null) {
            return false;
        }
        int enough = config.selection().minSlices();
        List<String> marked = stored.entrySet().stream().filter(e -> e.getValue() >= enough)
                .map(Map.Entry::getKey).toList();
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
        // Only the File Meta Information here: judgeAndArchive() reads the data set, once.
        AttributeList meta = new AttributeList();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(part10), 1 << 16)) {
            meta.readOnlyMetaInformationHeader(new DicomInputStream(in));
        } catch (Exception e) {
            meta.clear();
        }
        String sopClass = value(meta, TagFromName.MediaStorageSOPClassUID);
        String sopInstance = value(meta, TagFromName.MediaStorageSOPInstanceUID);
        String ts = value(meta, TagFromName.TransferSyntaxUID);
        Arrival arrival = new Arrival(origin + " " + host, origin, host, new AdmissionRules.Command(sopClass, sopInstance, ts),
                "upload-" + part10.getFileName(), requiredStudy, null);
        if (ts.isEmpty()) {
            return refuse(part10, arrival, DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND,
                    "not a DICOM Part 10 file: no File Meta Information with a Transfer Syntax UID (0002,0010)"));
        }
        DimseStatus refusal = rules.beforeData(sopClass, sopInstance, sopClass, ts, newData);
        if (refusal != null) {
            return refuse(part10, arrival, refusal);
        }
        return judgeAndArchive(part10, arrival);
    }

    private StoreOutcome refuse(Path file, Arrival a, DimseStatus status) {
        return new StoreOutcome(reject(file, a, status), a.command.sopClassUid(), a.command.sopInstanceUid(), null, null);
    }

    /** Who sent an instance (over TLS: the peer's certificate) and what its command (or File Meta Information) said it is. */
    private record Arrival(String log, String callingAeTitle, String callingHost, AdmissionRules.Command command,
                           String rejectedName, String requiredStudyUid, String tlsPeer) {
    }

    private StoreOutcome judgeAndArchive(Path temp, Arrival a) {
        Instant receivedAt = clock.instant();
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(temp), 1 << 16)) {
            list.read(new DicomInputStream(in));
        } catch (Exception e) {
            return refuse(temp, a, DimseStatus.failure(DimseStatus.CANNOT_UNDERSTAND,
                    "data set cannot be read: " + e.getMessage()));
        }
        DimseStatus bad = AdmissionRules.ofDataSet(list, a.command, a.requiredStudyUid);
        if (bad != null) {
            return refuse(temp, a, bad);
        }
        String sopClass = value(list, TagFromName.SOPClassUID);
        String sopInstance = value(list, TagFromName.SOPInstanceUID);
        String study = value(list, TagFromName.StudyInstanceUID);
        String series = value(list, TagFromName.SeriesInstanceUID);
        try {
            long size = Files.size(temp);
            archive.archive(temp, list, a.command.transferSyntaxUid(), new Archive.Sender(a.callingAeTitle, a.callingHost), receivedAt);
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
            return new StoreOutcome(failure, a.command.sopClassUid(), a.command.sopInstanceUid(), null, null);
        }
    }

    private DimseStatus reject(Path file, Arrival a, DimseStatus status) {
        LOG.warnf("%s: refused %s (%s): %s", a.log, a.command.sopInstanceUid(), a.rejectedName, status);
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
}
