package org.livernode.store;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import org.hibernate.LockMode;
import org.hibernate.Session;
import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.vocabulary.CodeStrings;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides from the database alone when a CT series is complete (one with a CT instance: a series that mixes CT with
 * another modality gets a job too, which the selection then SKIPS with the reason), so several replicas sharing one database
 * act as one node. A CT series that has neither an open job nor a job queued after its last instance gets ONE new
 * QUEUED job when it is complete: at once when an association that stored it was released after its last instance
 * and its instances are a whole stack ({@link StackCompleteness}), else when its last instance arrived more than
 * the quiet period ago.
 *
 * <p>Two replicas cannot both queue it: the series row is locked while checking and inserting, and the
 * unique {@code open_key} refuses a second open job. A late instance retires a still QUEUED job (see
 * {@link InstanceIndex}); after a RUNNING, DELIVERING or finished job, it makes the series due again, so a new job
 * is queued once the series is quiet again: every job row stays as history.
 */
@ApplicationScoped
public class SeriesCompletion {
    private static final Logger LOG = Logger.getLogger(SeriesCompletion.class);
    public static final String CT_MODALITY = "CT";

    @Inject
    Session session;
    @Inject
    LivernodeConfig config;
    @Inject
    JobQueue queue;

    /** Queues a job for every due series; returns the jobs this call created. */
    public List<Job> queueDueSeries(Instant now, Duration quietPeriod) {
        Instant cutoff = now.minus(quietPeriod);
        List<Job> created = new ArrayList<>();
        for (String seriesUid : candidates("s.lastReceived < :cutoff", cutoff)) {
            queue(seriesUid, s -> s.lastReceived.isBefore(cutoff), now, "quiet for " + quietPeriod, created);
        }
        int minSlices = config.selection().minSlices();
        for (String seriesUid : candidates("s.lastReceived >= :cutoff and s.releasedAt >= s.lastReceived", cutoff)) {
            Optional<String> whole = StackCompleteness.wholeNow(instancesOf(seriesUid), minSlices);
            if (whole.isPresent()) {
                queue(seriesUid, s -> s.releasedAt != null && !s.releasedAt.isBefore(s.lastReceived), now,
                        "association released, " + whole.get(), created);
            }
        }
        if (!created.isEmpty()) {
            queue.jobsQueued();
        }
        return created;
    }

    /** CT series without an open job or a job queued after their last instance, that also meet {@code condition}. */
    private List<String> candidates(String condition, Instant cutoff) {
        return QuarkusTransaction.requiringNew().call(() -> session.createQuery(
                "select s.seriesUid, s.modality from Series s where s.modality like :ct escape '!' and " + condition
                        + " and not exists (select j.id from Job j where j.seriesUid = s.seriesUid"
                        + " and (j.state in (:open) or j.queuedAt >= s.lastReceived))"
                        + " order by s.lastReceived", Object[].class)
                .setParameter("ct", "%" + CT_MODALITY + "%").setParameter("cutoff", cutoff)
                .setParameterList("open", JobState.OPEN)
                .getResultList()).stream()
                .filter(row -> CodeStrings.values((String) row[1]).contains(CT_MODALITY)) // not OCT
                .map(row -> (String) row[0]).toList();
    }

    private List<Instance> instancesOf(String seriesUid) {
        return QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                        "from Instance i where i.seriesUid = :series", Instance.class)
                .setParameter("series", seriesUid).getResultList());
    }

    private void queue(String seriesUid, Predicate<Series> stillDue, Instant now, String why, List<Job> created) {
        try {
            Job job = QuarkusTransaction.requiringNew().call(() -> queueIfStillDue(seriesUid, stillDue, now));
            if (job != null) {
                created.add(job);
                LOG.infof("%s: series complete (%s), job %d QUEUED", seriesUid, why, job.id);
            }
        } catch (PersistenceException e) {
            // Another replica queued it between our check and our insert: its job stands.
            LOG.debugf("%s: job not queued here (%s)", seriesUid, e.getMessage());
        }
    }

    private Job queueIfStillDue(String seriesUid, Predicate<Series> stillDue, Instant now) {
        Series series = session.find(Series.class, seriesUid, LockMode.PESSIMISTIC_WRITE);
        if (series == null || !stillDue.test(series)) {
            return null;
        }
        Long blocking = session.createQuery("select count(j) from Job j where j.seriesUid = :s"
                        + " and (j.state in (:open) or j.queuedAt >= :last)", Long.class)
                .setParameter("s", seriesUid).setParameter("last", series.lastReceived)
                .setParameterList("open", JobState.OPEN)
                .getSingleResult();
        if (blocking > 0) {
            return null;
        }
        Job job = Job.queued(seriesUid, series.studyUid, now);
        session.persist(job);
        session.flush();
        return job;
    }
}
