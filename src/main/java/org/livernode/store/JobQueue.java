package org.livernode.store;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.LockMode;
import org.hibernate.Session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The durable job queue shared by every replica on one database. A job is claimed with a conditional
 * UPDATE (state still QUEUED, or RUNNING with an expired lease): the database lets exactly one replica's
 * update through, so each job runs once, and a job whose runner died is taken over when its lease runs out.
 * A DELIVERING job is claimed the same way for one C-STORE attempt once its next attempt is due; between
 * attempts it holds no lease, so no worker waits on a destination that is down.
 */
@ApplicationScoped
public class JobQueue {

    /** Candidates looked at per claim; another replica may win some of them. */
    private static final int CANDIDATES = 8;
    private static final List<JobState> HELD = List.of(JobState.RUNNING, JobState.DELIVERING);

    @Inject
    Session session;
    @Inject
    Clock clock;

    /** Wakes this process's idle worker when a job was queued here, so it need not wait for its next poll. */
    private final Object queued = new Object();
    private boolean signalled;

    /** Called when this process queued a job. */
    public void jobsQueued() {
        synchronized (queued) {
            signalled = true;
            queued.notifyAll();
        }
    }

    /** Waits up to {@code poll} for {@link #jobsQueued} here (other replicas' jobs are seen at the next poll). */
    public void awaitQueued(Duration poll) throws InterruptedException {
        long until = System.nanoTime() + poll.toNanos();
        synchronized (queued) {
            while (!signalled) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(queued, left);
            }
            signalled = false;
        }
    }

    /**
     * Claims, for {@code nodeId}, a delivery attempt that is due (they are short and bounded by the sender's
     * timeouts, so they go first), else the oldest claimable job; empty when there is none. The job comes back
     * DELIVERING or RUNNING: the claim says which step to run.
     */
    public Optional<Job> claimNext(String nodeId, Duration lease) {
        Instant now = clock.instant();
        List<Long> deliveries = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                        "select j.id from Job j where j.state = :delivering and j.nextAttemptAt <= :now "
                                + "and (j.leaseUntil is null or j.leaseUntil < :now) order by j.nextAttemptAt, j.id", Long.class)
                .setParameter("delivering", JobState.DELIVERING)
                .setParameter("now", now)
                .setMaxResults(CANDIDATES)
                .getResultList());
        Optional<Job> delivery = first(deliveries, id -> claimDelivery(id, nodeId, lease));
        if (delivery.isPresent()) {
            return delivery;
        }
        List<Long> candidates = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                        "select j.id from Job j where j.state = :queued or (j.state = :running and j.leaseUntil < :now) "
                                + "order by j.queuedAt, j.id", Long.class)
                .setParameter("queued", JobState.QUEUED)
                .setParameter("running", JobState.RUNNING)
                .setParameter("now", now)
                .setMaxResults(CANDIDATES)
                .getResultList());
        return first(candidates, id -> claim(id, nodeId, lease));
    }

    /** The first of the candidates this node wins (another replica may win some of them). */
    private static Optional<Job> first(List<Long> candidates, Function<Long, Optional<Job>> claim) {
        for (Long id : candidates) {
            Optional<Job> claimed = claim.apply(id);
            if (claimed.isPresent()) {
                return claimed;
            }
        }
        return Optional.empty();
    }

    /** Claims job {@code id} if it is QUEUED or its lease ran out; empty when another node holds it or it is finished. */
    public Optional<Job> claim(long id, String nodeId, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
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
            return updated == 1 ? Optional.of(detached(id)) : Optional.<Job>empty();
        });
    }

    /** Claims one delivery attempt of DELIVERING job {@code id} if it is due and nobody holds it. */
    public Optional<Job> claimDelivery(long id, String nodeId, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            int updated = session.createMutationQuery("update Job j set j.claimedBy = :node, j.leaseUntil = :until, "
                            + "j.deliveryAttempts = j.deliveryAttempts + 1 where j.id = :id and j.state = :delivering "
                            + "and j.nextAttemptAt <= :now and (j.leaseUntil is null or j.leaseUntil < :now)")
                    .setParameter("node", nodeId)
                    .setParameter("until", now.plus(lease))
                    .setParameter("delivering", JobState.DELIVERING)
                    .setParameter("now", now)
                    .setParameter("id", id)
                    .executeUpdate();
            return updated == 1 ? Optional.of(detached(id)) : Optional.<Job>empty();
        });
    }

    /** Takes back, at start-up, the jobs and delivery attempts this node held when it stopped (nobody else holds them). */
    public int releaseOwn(String nodeId) {
        return QuarkusTransaction.requiringNew().call(() -> session.createMutationQuery(
                        "update Job j set j.leaseUntil = :past where j.state in (:held) and j.claimedBy = :node "
                                + "and j.leaseUntil is not null")
                .setParameter("past", Instant.EPOCH)
                .setParameterList("held", HELD)
                .setParameter("node", nodeId)
                .executeUpdate());
    }

    /** Extends the lease; false means the job is no longer ours (taken over after an expired lease). */
    public boolean renewLease(long id, String nodeId, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> session.createMutationQuery(
                        "update Job j set j.leaseUntil = :until where j.id = :id and j.claimedBy = :node "
                                + "and j.state in (:held) and j.leaseUntil is not null")
                .setParameter("until", clock.instant().plus(lease))
                .setParameter("id", id)
                .setParameter("node", nodeId)
                .setParameterList("held", HELD)
                .executeUpdate() == 1);
    }

    /**
     * Hands a RUNNING job whose outputs are stored over to delivery: DELIVERING, first attempt due now, no lease
     * (any replica's worker may make it). False when the job is no longer this node's.
     */
    public boolean startDelivery(long id, String nodeId, String resultJson) {
        return update(id, nodeId, JobState.RUNNING, job -> {
            job.setState(JobState.DELIVERING);
            job.resultJson = resultJson;
            job.nextAttemptAt = clock.instant();
            job.deliveryAttempts = 0;
            job.leaseUntil = null;
        });
    }

    /** Records a failed delivery attempt and when the next is due; the lease is given up until then. */
    public boolean retryDelivery(long id, String nodeId, Instant nextAttemptAt, String reason, String resultJson) {
        return update(id, nodeId, JobState.DELIVERING, job -> {
            job.reason = reason;
            job.resultJson = resultJson;
            job.nextAttemptAt = nextAttemptAt;
            job.leaseUntil = null;
        });
    }

    /**
     * Ends a job this node holds (RUNNING, or a DELIVERING attempt). Returns false (and changes nothing) when the
     * job was taken over meanwhile, so a slow runner never overwrites the outcome of the replica that took its job.
     */
    public boolean finish(long id, String nodeId, JobState state, String reason, String resultJson) {
        if (state.isOpen()) {
            throw new IllegalArgumentException("a job finishes DONE, FAILED or SKIPPED, not " + state);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = session.find(Job.class, id, LockMode.PESSIMISTIC_WRITE);
            if (job == null || !HELD.contains(job.getState()) || !nodeId.equals(job.claimedBy)) {
                return false;
            }
            job.setState(state);
            job.reason = reason;
            job.resultJson = resultJson;
            job.finishedAt = clock.instant();
            job.leaseUntil = null;
            job.nextAttemptAt = null;
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
        return QuarkusTransaction.requiringNew().call(() -> Optional.ofNullable(session.find(Job.class, id))
                .map(job -> {
                    session.detach(job);
                    return job;
                }));
    }

    /** The newest job of a series, if any. */
    public Optional<Job> latestFor(String seriesUid) {
        return QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                        "from Job j where j.seriesUid = :series order by j.id desc", Job.class)
                .setParameter("series", seriesUid)
                .setMaxResults(1)
                .getResultStream().findFirst());
    }

    private Job detached(long id) {
        Job job = session.find(Job.class, id);
        session.detach(job);
        return job;
    }

    /** Applies {@code change} to job {@code id} if it is in {@code expected} and held by {@code nodeId}. */
    private boolean update(long id, String nodeId, JobState expected, Consumer<Job> change) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = session.find(Job.class, id, LockMode.PESSIMISTIC_WRITE);
            if (job == null || job.getState() != expected || !nodeId.equals(job.claimedBy)) {
                return false;
            }
            change.accept(job);
            return true;
        });
    }
}
