package org.livernode.api.dicomweb;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.Session;
import org.livernode.api.ProblemException;
import org.livernode.store.Instance;
import org.livernode.store.InstanceStore;
import org.livernode.store.Series;
import org.livernode.store.Study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What DICOMweb serves: the index rows (studies, series, instances) and the headers of the stored files.
 * Callers run inside a transaction.
 */
@ApplicationScoped
class StoredObjects {
    @Inject
    Session session;
    @Inject
    InstanceStore store;

    List<Study> studies() {
        return session.createQuery("from Study s order by s.lastReceived desc, s.studyUid", Study.class).getResultList();
    }

    List<Series> series(String studyUid) {
        String q = "from Series s" + (studyUid == null ? "" : " where s.studyUid = :u")
                + " order by s.studyUid, s.seriesNumber, s.firstReceived, s.seriesUid";
        var query = session.createQuery(q, Series.class);
        if (studyUid != null) {
            query.setParameter("u", studyUid);
        }
        return query.getResultList();
    }

    /** Instances of a series, of a study (seriesUid null) or all (both null), in Instance Number order. */
    List<Instance> instances(String studyUid, String seriesUid) {
        StringBuilder q = new StringBuilder("select i from Instance i");
        if (seriesUid != null) {
            q.append(" where i.seriesUid = :se");
        } else if (studyUid != null) {
            q.append(" where i.seriesUid in (select s.seriesUid from Series s where s.studyUid = :st)");
        }
        q.append(" order by i.seriesUid, i.instanceNumber, i.sopInstanceUid");
        var query = session.createQuery(q.toString(), Instance.class);
        if (seriesUid != null) {
            query.setParameter("se", seriesUid);
        } else if (studyUid != null) {
            query.setParameter("st", studyUid);
        }
        return query.getResultList();
    }

    /** Number of instances per series UID. */
    java.util.Map<String, Long> instanceCounts() {
        java.util.Map<String, Long> counts = new java.util.HashMap<>();
        for (Object[] row : session.createQuery(
                "select i.seriesUid, count(i) from Instance i group by i.seriesUid", Object[].class).getResultList()) {
            counts.put((String) row[0], (Long) row[1]);
        }
        return counts;
    }

    Study study(String uid) {
        return session.find(Study.class, uid);
    }

    Series seriesRow(String uid) {
        return session.find(Series.class, uid);
    }

    /** The instance, checked to belong to the study and series of the URL, else a 404 problem. */
    Instance instance(String studyUid, String seriesUid, String sopInstanceUid) {
        Instance i = session.find(Instance.class, sopInstanceUid);
        Series s = i == null ? null : session.find(Series.class, i.seriesUid);
        if (s == null || !s.seriesUid.equals(seriesUid) || !s.studyUid.equals(studyUid)) {
            throw ProblemException.notFound("Instance", sopInstanceUid);
        }
        return i;
    }

    /** Instances selected by a WADO-RS URL (study, series or instance level); 404 problem when none. */
    List<Instance> selected(String studyUid, String seriesUid, String sopInstanceUid) {
        if (sopInstanceUid != null) {
            return List.of(instance(studyUid, seriesUid, sopInstanceUid));
        }
        if (seriesUid != null) {
            Series s = session.find(Series.class, seriesUid);
            if (s == null || !s.studyUid.equals(studyUid)) {
                throw ProblemException.notFound("Series", seriesUid);
            }
        }
        List<Instance> found = instances(studyUid, seriesUid);
        if (found.isEmpty()) {
            throw ProblemException.notFound(seriesUid == null ? "Study" : "Series", seriesUid == null ? studyUid : seriesUid);
        }
        return found;
    }

    Path file(Instance i) {
        return store.resolve(i.path);
    }

    /** The stored file's attributes up to (not including) Pixel Data. */
    AttributeList header(Instance i) {
        AttributeList list = new AttributeList();
        try {
            list.read(file(i).toFile(), TagFromName.PixelData);
        } catch (IOException | DicomException e) {
            throw new IllegalStateException("cannot read the stored file of " + i.sopInstanceUid + ": " + e.getMessage(), e);
        }
        return list;
    }

    /** The stored file's attributes, Pixel Data left encapsulated (its value is never sent inline). */
    AttributeList full(Instance i) {
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        try {
            list.read(file(i).toFile());
        } catch (IOException | DicomException e) {
            throw new IllegalStateException("cannot read the stored file of " + i.sopInstanceUid + ": " + e.getMessage(), e);
        }
        return list;
    }
}
