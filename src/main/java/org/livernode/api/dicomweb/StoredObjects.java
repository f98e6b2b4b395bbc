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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What DICOMweb serves: the index rows (studies, series, instances) and the headers of the stored files.
 * Callers run inside a transaction.
 */
@ApplicationScoped
class StoredObjects {
    private static final String SERIES_ORDER = "s.studyUid, s.seriesNumber, s.firstReceived, s.seriesUid";
    private static final int IN_CHUNK = 500;

    @Inject
    Session session;
    @Inject
    InstanceStore store;

    /** Studies the filter matches, newest first; offset and limit as given (0 and Integer.MAX_VALUE: all). */
    List<Study> studies(QidoFilter f, int offset, int limit) {
        return page("select st from Study st" + where(f) + " order by st.lastReceived desc, st.studyUid",
                Study.class, f, offset, limit);
    }

    /** Series (with their study) the filter matches, of one study or all (studyUid null), in series order. */
    List<Object[]> series(String studyUid, QidoFilter f, int offset, int limit) {
        return page("select s, st from Series s, Study st" + where(f, "st.studyUid = s.studyUid",
                studyUid == null ? null : "s.studyUid = :study") + " order by " + SERIES_ORDER,
                Object[].class, f.with("study", studyUid), offset, limit);
    }

    /** Instances (with their series and study) the filter matches, in series order then Instance Number. */
    List<Object[]> instances(String studyUid, String seriesUid, QidoFilter f, int offset, int limit) {
        return page("select i, s, st from Instance i, Series s, Study st" + where(f, "s.seriesUid = i.seriesUid",
                "st.studyUid = s.studyUid", studyUid == null ? null : "s.studyUid = :study",
                seriesUid == null ? null : "s.seriesUid = :series") + " order by " + SERIES_ORDER
                + ", i.instanceNumber, i.sopInstanceUid", Object[].class,
                f.with("study", studyUid).with("series", seriesUid), offset, limit);
    }

    /** Every series of these studies, in series order. */
    List<Series> seriesOfStudies(List<String> studyUids) {
        List<Series> out = new ArrayList<>();
        for (List<String> chunk : chunks(studyUids)) {
            out.addAll(session.createQuery("from Series s where s.studyUid in :u order by " + SERIES_ORDER, Series.class)
                    .setParameter("u", chunk).getResultList());
        }
        return out;
    }

    /** Number of instances of each of these series (absent: none). */
    Map<String, Long> instanceCounts(List<String> seriesUids) {
        Map<String, Long> counts = new HashMap<>();
        for (List<String> chunk : chunks(seriesUids)) {
            for (Object[] row : session.createQuery("select i.seriesUid, count(i) from Instance i"
                    + " where i.seriesUid in :u group by i.seriesUid", Object[].class).setParameter("u", chunk).getResultList()) {
                counts.put((String) row[0], (Long) row[1]);
            }
        }
        return counts;
    }

    private static String where(QidoFilter f, String... joins) {
        List<String> all = new ArrayList<>();
        for (String j : joins) {
            if (j != null) {
                all.add(j);
            }
        }
        if (!f.where().isEmpty()) {
            all.add(f.where());
        }
        return all.isEmpty() ? "" : " where " + String.join(" and ", all);
    }

    private <T> List<T> page(String hql, Class<T> type, QidoFilter f, int offset, int limit) {
        var query = session.createQuery(hql, type);
        f.parameters.forEach(query::setParameter);
        if (offset > 0) {
            query.setFirstResult(offset);
        }
        if (limit < Integer.MAX_VALUE) {
            query.setMaxResults(limit);
        }
        return query.getResultList();
    }

    /** IN lists in pieces: PostgreSQL takes at most 32767 parameters in one statement. */
    private static List<List<String>> chunks(List<String> values) {
        List<List<String>> out = new ArrayList<>();
        for (int k = 0; k < values.size(); k += IN_CHUNK) {
            out.add(values.subList(k, Math.min(values.size(), k + IN_CHUNK)));
        }
        return out;
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
