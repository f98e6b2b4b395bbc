package org.livernode.corrections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import org.hibernate.Session;
import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationException;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.seg.SegmentationWriter;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.pipeline.SeriesInput;
import org.livernode.pipeline.SeriesSelection;
import org.livernode.store.Instance;
import org.livernode.store.InstanceStore;
import org.livernode.store.Job;
import org.livernode.store.JobState;
import org.livernode.volume.CtSeries;
import org.livernode.volume.VolumeException;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds the Segmentation instances in the index that no correction row speaks for yet (and those still WAITING),
 * reads each, links it to the node's SEG of the CT series it references (the series' latest DONE job's output) and
 * measures the agreement. It works from the index alone, after the fact: the receive path is not touched, a
 * correction that arrives before the node's own SEG waits, and several replicas may scan at once (the row's key,
 * the correction's SOP Instance UID, lets one of them write it).
 */
@ApplicationScoped
public class CorrectionScan {
    private static final Logger LOG = Logger.getLogger(CorrectionScan.class);
    /** Instances looked at per scan, so one scan stays short. */
    private static final int BATCH = 20;

    @Inject
    Session session;
    @Inject
    InstanceStore store;
    @Inject
    LivernodeConfig config;
    @Inject
    ObjectMapper json;
    @Inject
    CorrectionMetrics metrics;

    /** Looks at every new or waiting Segmentation; returns how many rows it wrote. */
    public int scan() {
        List<Instance> candidates = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                        "from Instance i where i.sopClassUid in (:classes) and not (i.callingAeTitle = :us and i.callingHost = 'local')"
                                + " and not exists (select c.sopInstanceUid from Correction c where c.sopInstanceUid = i.sopInstanceUid"
                                + " and c.state <> :waiting) order by i.receivedAt", Instance.class)
                .setParameterList("classes", List.of(SopClasses.SEGMENTATION_STORAGE, SopClasses.LABEL_MAP_SEGMENTATION_STORAGE))
                .setParameter("us", config.dicom().aeTitle())
                .setParameter("waiting", CorrectionState.WAITING)
                .setMaxResults(BATCH).getResultList());
        int written = 0;
        for (Instance instance : candidates) {
            Correction row = examine(instance);
            Correction before = QuarkusTransaction.requiringNew().call(() -> session.find(Correction.class, row.sopInstanceUid));
            if (before == null || before.state != row.state || !Objects.equals(before.reason, row.reason)) {
                LOG.infof("%s: Segmentation %s (%s, Manufacturer %s) %s%s", row.studyUid, row.sopInstanceUid,
                        row.segmentationType, row.manufacturer, row.state, row.reason == null ? "" : ": " + row.reason);
            }
            if (save(row)) {
                written++;
                if (row.state == CorrectionState.MEASURED) {
                    metrics.measured(row);
                }
            }
        }
        if (written > 0) {
            metrics.refresh();
        }
        return written;
    }

    private Correction examine(Instance instance) {
        Correction row = new Correction();
        row.sopInstanceUid = instance.sopInstanceUid;
        row.segSeriesUid = instance.seriesUid;
        row.sopClassUid = instance.sopClassUid;
        row.receivedAt = instance.receivedAt;
        row.examinedAt = Instant.now();
        row.studyUid = QuarkusTransaction.requiringNew().call(() -> session.find(org.livernode.store.Series.class,
                instance.seriesUid).studyUid);
        DecodedSegmentation correction;
        try {
            correction = SegmentationReader.read(store.resolve(instance.path));
        } catch (IOException | SegmentationException e) {
            return ended(row, CorrectionState.NOT_MEASURED, "cannot be read: " + e.getMessage());
        }
        row.segmentationType = correction.segmentationType();
        row.manufacturer = text(correction.manufacturer(), 64);
        if (SegmentationWriter.MANUFACTURER.equalsIgnoreCase(correction.manufacturer().trim())) {
            return ended(row, CorrectionState.OWN_OUTPUT, "made by " + SegmentationWriter.MANUFACTURER + ": an output of the node, not a correction");
        }
        Optional<String> ctSeries = referencedCtSeries(row.studyUid, correction);
        if (ctSeries.isEmpty()) {
            return ended(row, CorrectionState.WAITING, "references no stored CT series of study " + row.studyUid
                    + " (by Source Image or by Frame of Reference " + correction.frameOfReferenceUid() + ")");
        }
        row.ctSeriesUid = ctSeries.get();
        Optional<Job> done = latestDone(row.ctSeriesUid);
        if (done.isEmpty()) {
            return ended(row, CorrectionState.WAITING, "the node has no SEG of CT series " + row.ctSeriesUid + " yet (no DONE job)");
        }
        Job job = done.get();
        row.jobId = job.id;
        try {
            JsonNode result = json.readTree(Objects.requireNonNullElse(job.resultJson, "{}"));
            row.aiSegSopInstanceUid = result.path("segSopInstanceUid").asText(null);
            row.model = text(result.path("model").asText(null), 128);
            Instance aiSeg = row.aiSegSopInstanceUid == null ? null : QuarkusTransaction.requiringNew().call(() ->
                    session.find(Instance.class, row.aiSegSopInstanceUid));
            if (aiSeg == null) {
                return ended(row, CorrectionState.NOT_MEASURED, "job " + job.id + " of CT series " + row.ctSeriesUid
                        + " names no stored SEG (" + row.aiSegSopInstanceUid + ")");
            }
            CtSeries ct = ctSeries(row.ctSeriesUid);
            DecodedSegmentation ai = SegmentationReader.read(store.resolve(aiSeg.path));
            CorrectionMeasurement.Agreement a = CorrectionMeasurement.measure(ct, ai, correction);
            row.slices = a.slices();
            row.dsc = a.metrics().dsc();
            row.asdMm = finite(a.metrics().asdMm());
            row.hd95Mm = finite(a.metrics().hd95Mm());
            row.aiVolumeMl = a.aiVolumeMl();
            row.correctedVolumeMl = a.correctedVolumeMl();
            row.volumeDifferenceMl = a.volumeDifferenceMl();
            LOG.infof("%s: correction %s (%s, %s) of CT series %s against job %d's SEG (%s): DSC %.4f, ASD %s mm, HD95 %s mm,"
                            + " volume %+.1f mL", row.studyUid, row.sopInstanceUid, row.segmentationType, row.manufacturer,
                    row.ctSeriesUid, job.id, row.model, row.dsc, mm(row.asdMm), mm(row.hd95Mm), row.volumeDifferenceMl);
            return ended(row, CorrectionState.MEASURED, null);
        } catch (SliceAlignment.NotMeasurable e) {
            return ended(row, CorrectionState.NOT_MEASURED, e.getMessage());
        } catch (IOException | SegmentationException | VolumeException | IllegalArgumentException e) {
            return ended(row, CorrectionState.NOT_MEASURED, "cannot be measured: " + e.getMessage());
        }
    }

    /** The series of the study holding most of the frames' source images, else the CT series on its Frame of Reference. */
    private Optional<String> referencedCtSeries(String studyUid, DecodedSegmentation seg) {
        List<String> sources = seg.frames().stream().map(f -> f.referencedSopInstanceUid()).filter(Objects::nonNull)
                .distinct().toList();
        if (!sources.isEmpty()) {
            List<String> series = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                    "select i.seriesUid from Instance i where i.sopInstanceUid in (:uids)", String.class)
                    .setParameterList("uids", sources).getResultList());
            Optional<String> most = series.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
                    .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
            if (most.isPresent()) {
                return most;
            }
        }
        String frameOfReference = seg.frameOfReferenceUid();
        if (frameOfReference == null || frameOfReference.isEmpty()) {
            return Optional.empty();
        }
        List<Instance> firstOfEachCt = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                "from Instance i where i.sopClassUid in (:ct) and i.seriesUid in (select s.seriesUid from Series s"
                        + " where s.studyUid = :study) and i.sopInstanceUid = (select min(j.sopInstanceUid) from Instance j"
                        + " where j.seriesUid = i.seriesUid)", Instance.class)
                .setParameterList("ct", List.of(SopClasses.CT_IMAGE_STORAGE, SopClasses.ENHANCED_CT_IMAGE_STORAGE))
                .setParameter("study", studyUid).getResultList());
        for (Instance first : firstOfEachCt) {
            AttributeList header = new AttributeList();
            try {
                header.read(store.resolve(first.path).toString(), TagFromName.PixelData);
            } catch (IOException | com.pixelmed.dicom.DicomException e) {
                continue;
            }
            if (frameOfReference.equals(Attribute.getSingleStringValueOrEmptyString(header, TagFromName.FrameOfReferenceUID).trim())) {
                return Optional.of(first.seriesUid);
            }
        }
        return Optional.empty();
    }

    private Optional<Job> latestDone(String seriesUid) {
        return QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                        "from Job j where j.seriesUid = :s and j.state = :done order by j.id desc", Job.class)
                .setParameter("s", seriesUid).setParameter("done", JobState.DONE).setMaxResults(1)
                .getResultStream().findFirst());
    }

    /** The CT series as the node segmented it: the same files and the same selection as its job. */
    private CtSeries ctSeries(String seriesUid) throws SliceAlignment.NotMeasurable {
        List<Instance> instances = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                "from Instance i where i.seriesUid = :s", Instance.class).setParameter("s", seriesUid).getResultList());
        SeriesInput.Prepared input = SeriesInput.prepare(instances.stream().map(i -> store.resolve(i.path)).toList(),
                SeriesSelection.from(config.selection()));
        if (input.refusal().isPresent()) {
            throw new SliceAlignment.NotMeasurable("CT series " + seriesUid + " is not one the node segments now: "
                    + input.refusal().get());
        }
        return input.series();
    }

    /** Inserts or updates the row; false when another replica wrote it first. */
    private boolean save(Correction row) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (session.find(Correction.class, row.sopInstanceUid) == null) {
                    session.persist(row);
                } else {
                    session.merge(row);
                }
            });
            return true;
        } catch (PersistenceException e) {
            LOG.debugf("%s: correction row not written here (%s)", row.sopInstanceUid, e.getMessage());
            return false;
        }
    }

    private static Correction ended(Correction row, CorrectionState state, String reason) {
        row.state = state;
        row.reason = reason == null ? null : text(reason, 4000);
        return row;
    }

    private static String mm(Double v) {
        return v == null ? "undefined" : String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String text(String s, int max) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String t = s.trim();
        return t.length() > max ? t.substring(0, max) : t;
    }
}
