package org.livernode.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.Session;
import org.jboss.logging.Logger;
import org.livernode.api.Views.LiverVolume;
import org.livernode.api.Views.JobView;
import org.livernode.dicom.sr.MeasurementReportReader;
import org.livernode.dicom.sr.MeasurementReportReader.ReportedVolume;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.store.Instance;
import org.livernode.store.InstanceStore;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The liver volume the study list shows for a CT series: read back from the latest TID 1500 SR in the index that
 * measured it (the node's or another's), else the job's. Each SR file is read once (kept by SOP Instance UID and
 * size; a resend of the same report replaces it with the same content).
 */
@ApplicationScoped
public class LiverVolumes {

    private static final Logger LOG = Logger.getLogger(LiverVolumes.class);
    private static final List<String> SR_CLASSES = List.of(SopClasses.ENHANCED_SR_STORAGE,
            SopClasses.COMPREHENSIVE_SR_STORAGE, SopClasses.COMPREHENSIVE_3D_SR_STORAGE);

    private record Read(long sizeBytes, List<ReportedVolume> volumes) {
    }

    private final Map<String, Read> bySop = new ConcurrentHashMap<>();

    @Inject
    InstanceStore store;
    @Inject
    ObjectMapper json;

    /** The volumes stated by the SRs of one study (or of all, studyUid null), by the CT series they measured. */
    Map<String, LiverVolume> fromReports(Session session, String studyUid) {
        String inStudy = studyUid == null ? "" : " and i.seriesUid in (select s.seriesUid from Series s where s.studyUid = :u)";
        var query = session.createQuery("from Instance i where i.sopClassUid in (:classes)" + inStudy
                + " order by i.receivedAt, i.sopInstanceUid", Instance.class).setParameter("classes", SR_CLASSES);
        if (studyUid != null) {
            query.setParameter("u", studyUid);
        }
        Map<String, LiverVolume> volumes = new HashMap<>();
        for (Instance sr : query.getResultList()) {
            for (ReportedVolume v : read(sr)) {
                volumes.put(v.sourceSeriesUid(), new LiverVolume(Math.round(v.ml() * 10) / 10.0, "SR", sr.sopInstanceUid));
            }
        }
        return volumes;
    }

    /** The SR's volume when there is one, else the job's {@code result.liverMl}, else null. */
    LiverVolume shown(LiverVolume fromReport, JobView job) {
        if (fromReport != null) {
            return fromReport;
        }
        if (job == null || job.result() == null) {
            return null;
        }
        try {
            JsonNode ml = json.readTree(job.result()).path("liverMl");
            return ml.isNumber() ? new LiverVolume(ml.asDouble(), "JOB", null) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private List<ReportedVolume> read(Instance sr) {
        Read cached = bySop.get(sr.sopInstanceUid);
        if (cached != null && cached.sizeBytes() == sr.sizeBytes) {
            return cached.volumes();
        }
        List<ReportedVolume> volumes;
        try {
            volumes = MeasurementReportReader.read(store.resolve(sr.path));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("SR %s: cannot read its measurements: %s", sr.sopInstanceUid, e.getMessage());
            volumes = List.of();
        }
        bySop.put(sr.sopInstanceUid, new Read(sr.sizeBytes, volumes));
        return volumes;
    }
}
