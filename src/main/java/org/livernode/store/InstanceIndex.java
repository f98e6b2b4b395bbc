package org.livernode.store;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import org.hibernate.LockMode;
import org.hibernate.Session;
import org.livernode.dicom.vocabulary.CodeStrings;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * Records stored instances in the database (study, series, instance rows). Indexing is an upsert, so a
 * resent instance updates its row instead of adding one; a unique-key race with another association or
 * replica is retried.
 */
@ApplicationScoped
public class InstanceIndex {
    private static final Logger LOG = Logger.getLogger(InstanceIndex.class);
    private static final int ATTEMPTS = 3;

    @Inject
    Session session;

    /** Indexes one instance in its own transaction; returns the path of an earlier file it replaced, if any. */
    public String index(ReceivedInstance r) {
        PersistenceException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> upsert(r));
            } catch (PersistenceException e) {
                last = e;
                LOG.debugf("%s: indexing attempt %d failed (%s), retrying", r.seriesUid(), attempt, e.getMessage());
            }
        }
        throw last;
    }

    private String upsert(ReceivedInstance r) {
        Study study = session.find(Study.class, r.studyUid(), LockMode.PESSIMISTIC_WRITE);
        if (study == null) {
            study = new Study();
            study.studyUid = r.studyUid();
            study.firstReceived = r.receivedAt();
            study.lastReceived = r.receivedAt();
            session.persist(study);
        }
        study.patientId = text(r.patientId(), 64);
        study.patientName = text(r.patientName(), 324);
        study.studyDate = text(r.studyDate(), 8);
        study.studyDescription = text(r.studyDescription(), 64);
        study.accessionNumber = text(r.accessionNumber(), 16);
        study.lastReceived = later(study.lastReceived, r.receivedAt());
        session.flush();

        // Locked and read fresh: two replicas indexing instances of one series at once must not write back a
        // stale last_received (the quiet period would then start too early). Completion locks the same row.
        Series series = session.find(Series.class, r.seriesUid(), LockMode.PESSIMISTIC_WRITE);
        if (series == null) {
            series = new Series();
            series.seriesUid = r.seriesUid();
            series.studyUid = r.studyUid();
            series.firstReceived = r.receivedAt();
            series.lastReceived = r.receivedAt();
            session.persist(series);
        }
        series.modality = withModality(series.modality, r.modality());
        series.seriesNumber = r.seriesNumber();
        series.seriesDescription = text(r.seriesDescription(), 64);
        series.lastReceived = later(series.lastReceived, r.receivedAt());
        session.flush();

        Instance instance = session.find(Instance.class, r.sopInstanceUid());
        String replacedPath = null;
        boolean isNew = instance == null;
        if (isNew) {
            instance = new Instance();
            instance.sopInstanceUid = r.sopInstanceUid();
        } else if (!r.path().equals(instance.path)) {
            replacedPath = instance.path;
        }
        instance.seriesUid = r.seriesUid();
        instance.sopClassUid = r.sopClassUid();
        instance.transferSyntaxUid = r.transferSyntaxUid();
        instance.callingAeTitle = text(r.callingAeTitle(), 16);
        instance.callingHost = text(r.callingHost(), 255);
        instance.instanceNumber = r.instanceNumber();
        instance.imageType = text(r.imageType(), 256);
        instance.imagePosition = text(r.imagePosition(), 128);
        instance.imagesInAcquisition = r.imagesInAcquisition();
        instance.sizeBytes = r.sizeBytes();
        instance.receivedAt = r.receivedAt();
        instance.path = r.path();
        if (isNew) {
            session.persist(instance);
        }

        // A job queued but not started would miss this instance: retire it; completion queues a new one.
        List<Job> queued = session.createQuery("from Job j where j.seriesUid = :s and j.state = :q", Job.class)
                .setParameter("s", r.seriesUid()).setParameter("q", JobState.QUEUED).getResultList();
        for (Job job : queued) {
            job.setState(JobState.SKIPPED);
            job.finishedAt = r.receivedAt();
            job.reason = "superseded: instance " + r.sopInstanceUid() + " arrived after the job was queued";
            LOG.infof("%s: job %d superseded by a late instance", r.seriesUid(), job.id);
        }
        session.flush();
        return replacedPath;
    }

    /**
     * Records that an association which stored instances of {@code seriesUids} was released at {@code at}: a series
     * released after its last instance may complete without the quiet period ({@link SeriesCompletion}).
     */
    public void associationReleased(java.util.Collection<String> seriesUids, java.time.Instant at) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (String uid : seriesUids) {
                Series series = session.find(Series.class, uid, LockMode.PESSIMISTIC_WRITE);
                if (series != null) {
                    series.releasedAt = later(series.releasedAt, at);
                }
            }
        });
    }

    /**
     * The series' modalities so far, backslash-separated in alphabetical order ({@code CT\SR} when a dose report
     * came with the CT), so completion still queues a job for a series that mixes modalities and its selection
     * says why it is not segmented; a series of one modality reads as that modality.
     */
    static String withModality(String modalities, String modality) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(CodeStrings.values(modalities));
        all.remove("");
        String added = CodeStrings.value(modality);
        if (!added.isEmpty()) {
            all.add(added);
        }
        String joined = String.join("\\", all);
        return joined.isEmpty() ? null : joined.length() > 16 ? modalities : joined;
    }

    /** The paths of every indexed instance (relative to the data directory), to find files the index lacks. */
    public java.util.Set<String> indexedPaths() {
        return QuarkusTransaction.requiringNew().call(() -> new java.util.HashSet<>(session.createSelectionQuery(
                "select i.path from Instance i where i.path is not null", String.class).getResultList()));
    }

    /** Empty becomes null; over-long header values are cut to the column, never refused. */
    private static String text(String s, int max) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String t = s.trim();
        return t.length() > max ? t.substring(0, max) : t;
    }

    private static java.time.Instant later(java.time.Instant a, java.time.Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    /** The stored instances of a series, oldest first. */
    public List<Instance> instancesOf(String seriesUid) {
        return QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                        "from Instance i where i.seriesUid = :series order by i.receivedAt", Instance.class)
                .setParameter("series", seriesUid)
                .getResultList());
    }

    /** An indexed instance by its SOP Instance UID (e.g. a SEG this node produced). */
    public Optional<Instance> instance(String sopInstanceUid) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instance instance = session.find(Instance.class, sopInstanceUid);
            if (instance != null) {
                session.detach(instance);
            }
            return Optional.ofNullable(instance);
        });
    }
}
