package org.livernode.store;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.Session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable job queue shared by every replica on one database. A job is claimed with a conditional
 * UPDATE (state still QUEUED, or RUNNING with an expired lease): the database lets exactly one replica's
 * update through, so each job runs once, and a job whose runner died is taken over when its lease runs out.
 */
@ApplicationScoped
public class JobQueue {

    /** Candidates looked at per claim; another replica may win some of them. */
    private static final int CANDIDATES = 8;

    @Inject
    Session session;

    /** Claims the oldest claimable job for {@code nodeId}, or returns empty when there is none. */
    public Optional<Job> claimNext(String nodeId, Duration lease) {
        Instant now = Instant.now();
        List<Long> candidates = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                        "select j.id from Job j where j.state = :queued or (j.state = :running and j.leaseUntil < :now) "
                                + "order by j.queuedAt, j.id", Long.class)
                .setParameter("queued", JobState.QUEUED)
                .setParameter("running", JobState.RUNNING)
                .setParameter("now", now)
                .setMaxResults(CANDIDATES)
                .getResultList());
        for (Long id : candidates) {
            Optional<Job> claimed = claim(id, nodeId, lease);
            if (claimed.isPresent()) {
                return claimed;
            }
        }
        return Optional.empty();
    }

    /** Claims job {@code id} if it is QUEUED or its lease ran out; empty when another node holds it or it is finished. */
    public Optional<Job> claim(long id, String nodeId, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            int updated = session.createMutationQuery("update Job j set j.state = :running, j.claimedBy = :node, "
                            + "j.leaseUntil = :until, j.startedAt = :now, j.attempts = j.attempts + 1 "
                            + "where j.id = :id and (j.state = :queued or (j.state = :running and j.leaseUntil < :now))")
                    .setParameter("running", JobState.RUNNING)
                    .setParameter("queued", JobState.QUEUED)
                    .setParameter("node", nodeId)
                    .setParameter("until", now.plus(lease))
                    .setParameter("now", now)
                    .setParameter("id", id)
                    .executeUpdate();
            if (updated != 1) {
                return Optional.<Job>empty();
            }
            Job job = session.find(Job.class, id);
            session.detach(job);
            return Optional.of(job);
        });
    }

    /** Takes back, at start-up, the jobs this node was running when it stopped (its own id, so nobody else holds them). */
    public int releaseOwn(String nodeId) {
        return QuarkusTransaction.requiringNew().call(() -> session.createMutationQuery(
                        "update Job j set j.leaseUntil = :past where j.state = :running and j.claimedBy = :node")
                .setParameter("past", Instant.EPOCH)
                .setParameter("running", JobState.RUNNING)
                .setParameter("node", nodeId)
                .executeUpdate());
    }

    /** Extends the lease; false means the job is no longer ours (taken over after an expired lease). */
    public boolean renewLease(long id, String nodeId, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> session.createMutationQuery(
                        "update Job j set j.leaseUntil = :until where j.id = :id and j.claimedBy = :node and j.state = :running")
                .setParameter("until", Instant.now().plus(lease))
                .setParameter("id", id)
                .setParameter("node", nodeId)
                .setParameter("running", JobState.RUNNING)
                .executeUpdate() == 1);
    }

    /**
     * Ends a job this node holds. Returns false (and changes nothing) when the job was taken over meanwhile,
     * so a slow runner never overwrites the outcome of the replica that took its job.
     */
    public boolean finish(long id, String nodeId, JobState state, String reason, String resultJson) {
        if (state.isOpen()) {
            throw new IllegalArgumentException("a job finishes DONE, FAILED or SKIPPED, not " + state);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = session.find(Job.class, id, org.hibernate.LockMode.PESSIMISTIC_WRITE);
            if (job == null || job.getState() != JobState.RUNNING || !nodeId.equals(job.claimedBy)) {
                return false;
            }
            job.setState(state);
            job.reason = reason;
            job.resultJson = resultJson;
            job.finishedAt = Instant.now();
            job.leaseUntil = null;
            return true;
        });
    }

    /** Records a new outcome for a finished job (after a resend of its SEG). */
    public void updateResult(long id, JobState state, String reason, String resultJson) {
        QuarkusTransaction.requiringNew().run(() -> {
            Job job = session.find(Job.class, id);
            if (job != null && !job.getState().isOpen()) {
                job.setState(state);
                job.reason = reason;
                job.resultJson = resultJson;
            }
        });
    }

    public Optional<Job> find(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = session.find(Job.class, id);
            if (job != null) {
                session.detach(job);
            }
            return Optional.ofNullable(job);
        });
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

    /** The modality of a series as indexed. */
    public String modalityOf(String seriesUid) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Series series = session.find(Series.class, seriesUid);
            return series == null ? null : series.modality;
        });
    }

    /** The newest job of a series, if any. */
    public Optional<Job> latestFor(String seriesUid) {
        return QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                        "from Job j where j.seriesUid = :series order by j.id desc", Job.class)
                .setParameter("series", seriesUid)
                .setMaxResults(1)
                .getResultStream().findFirst());
    }
}
