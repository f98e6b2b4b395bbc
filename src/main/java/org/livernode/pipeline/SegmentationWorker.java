package org.livernode.pipeline;

import org.livernode.config.LivernodeConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.store.Job;
import org.livernode.store.JobQueue;
import org.livernode.store.JobState;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Takes QUEUED jobs from the database and runs them, one at a time per process (inference uses every core), and
 * makes the delivery attempts that are due (DELIVERING jobs, {@link DeliveryStep}) between them.
 * While a job runs its lease is renewed; if this process dies, another replica takes the job when the lease
 * runs out, and this node takes back its own RUNNING jobs when it starts again. Started by {@code serve}/{@code demo}.
 */
@ApplicationScoped
public class SegmentationWorker {

    private static final Logger LOG = Logger.getLogger(SegmentationWorker.class);

    @Inject
    LivernodeConfig config;
    @Inject
    JobQueue queue;
    @Inject
    JobRunner runner;
    @Inject
    DeliveryStep deliveryStep;
    @Inject
    ObjectMapper json;

    private volatile boolean running;
    private volatile boolean busy;
    private Thread thread;
    private ScheduledExecutorService heartbeat;
    private String nodeId;

    /**
     * @param nodeId who this process is in the job table; stable across restarts of the same node
     *               (host and DICOM port), so its own interrupted jobs are taken back at once
     */
    public synchronized void start(String nodeId) {
        if (thread != null || !config.worker().enabled()) {
            if (!config.worker().enabled()) {
                LOG.info("segmentation worker disabled (livernode.worker.enabled=false): jobs stay QUEUED for other replicas");
            }
            return;
        }
        this.nodeId = nodeId;
        int released = queue.releaseOwn(nodeId);
        if (released > 0) {
            LOG.infof("taking back %d job(s) this node was running when it stopped", released);
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "job-lease"));
        running = true;
        thread = daemon(this::loop, "segmentation-worker");
        thread.start();
        LOG.infof("segmentation worker %s started (poll %s, lease %s)", nodeId, config.worker().pollInterval(),
                config.worker().lease());
    }

    /**
     * Stops taking jobs. A job in progress is not interrupted (that would end it FAILED): it gets a few seconds,
     * then its lease is handed back, so another replica takes it at once instead of after the lease (a rolling
     * update). Should this process go on running it, it stops before storing or sending anything once taken.
     */
    public synchronized void stop() {
        if (thread == null) {
            return;
        }
        running = false;
        if (!busy) {
            thread.interrupt();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeat.shutdownNow();
        if (thread.isAlive()) {
            try {
                int released = queue.releaseOwn(nodeId);
                LOG.infof("worker stopped; %d running job(s) handed back to the other replicas", released);
            } catch (RuntimeException e) {
                LOG.warnf("worker stopped; its running job is taken over when its lease runs out (%s)", e.getMessage());
            }
        }
        thread = null;
    }

    /** The default node id: host name and DICOM port, unique per replica and stable across restarts. */
    public static String defaultNodeId(int dicomPort) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + dicomPort;
    }

    private void loop() {
        Duration poll = config.worker().pollInterval();
        while (running) {
            try {
                boolean worked;
                busy = true;  // from the claim on, stop() must not interrupt: it waits, then hands the job back
                try {
                    var claimed = queue.claimNext(nodeId, config.worker().lease());
                    if (claimed.isPresent() && !running) {
                        queue.releaseOwn(nodeId);
                        return;
                    }
                    claimed.ifPresent(this::process);
                    worked = claimed.isPresent();
                } finally {
                    busy = false;
                }
                if (!worked) {
                    queue.awaitQueued(poll);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "worker: cannot read the job queue; retrying in %s", poll);
                sleepQuietly(poll);
            }
        }
    }

    private void process(Job job) {
        if (job.getState() == JobState.DELIVERING) {
            LOG.infof("%s: job %d delivery attempt %d", job.seriesUid, job.id, job.deliveryAttempts);
            withLease(job, lost -> deliveryStep.attempt(job, nodeId));
            return;
        }
        int maxAttempts = config.worker().maxAttempts();
        if (job.attempts > maxAttempts) {
            // Every earlier runner died without finishing (crash, out of memory, killed): do not take a fourth node down.
            String reason = "given up after " + (job.attempts - 1) + " attempts whose node stopped before finishing"
                    + " (livernode.worker.max-attempts=" + maxAttempts + ")";
            if (queue.finish(job.id, nodeId, JobState.FAILED, reason, null)) {
                LOG.warnf("%s: job %d FAILED: %s", job.seriesUid, job.id, reason);
            }
            return;
        }
        LOG.infof("%s: job %d started (attempt %d)", job.seriesUid, job.id, job.attempts);
        withLease(job, lost -> {
            // Asked before the SEG is stored and before delivery: a runner that lost its lease (long pause, database
            // unreachable) stops there, so the replica that took the job over is the only one to store and deliver.
            BooleanSupplier stillHeld = () -> !lost.get() && queue.renewLease(job.id, nodeId, config.worker().lease());
            JobRunner.Outcome outcome;
            try {
                outcome = runner.run(job, stillHeld);
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "%s: job %d crashed", job.seriesUid, job.id);
                outcome = new JobRunner.Outcome(JobState.FAILED, e.toString(), null);
            }
            String result = outcome.result() == null ? null : outcome.result().toJson(json);
            boolean recorded = outcome.state() == JobState.DELIVERING
                    ? queue.startDelivery(job.id, nodeId, result)
                    : queue.finish(job.id, nodeId, outcome.state(), outcome.reason(), result);
            if (recorded) {
                LOG.infof("%s: job %d %s%s", job.seriesUid, job.id, outcome.state(),
                        outcome.reason() == null ? "" : ": " + outcome.reason());
            } else {
                LOG.warnf("%s: job %d finished here but another node had taken it over; its outcome stands",
                        job.seriesUid, job.id);
            }
        });
    }

    /** Runs {@code step} while renewing the job's lease; the flag it gets turns true once the lease is lost. */
    private void withLease(Job job, Consumer<AtomicBoolean> step) {
        Duration lease = config.worker().lease();
        AtomicBoolean lost = new AtomicBoolean();
        long renewEvery = Math.max(1000, lease.toMillis() / 3);
        ScheduledFuture<?> renewal = heartbeat.scheduleAtFixedRate(() -> {
            try {
                if (!lost.get() && !queue.renewLease(job.id, nodeId, lease)) {
                    lost.set(true);
                    LOG.warnf("%s: job %d was taken over by another node (lease expired)", job.seriesUid, job.id);
                }
            } catch (RuntimeException e) {
                LOG.warnf("%s: cannot renew the lease of job %d: %s", job.seriesUid, job.id, e.getMessage());
            }
        }, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        try {
            step.accept(lost);
        } finally {
            renewal.cancel(false);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stop();
    }
}
