package org.livernode.dicom;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig;
import org.livernode.store.InstanceStore;
import org.livernode.store.SeriesCompletion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running DICOM node: the SCP on {@code livernode.dicom.port} and the series-completion check. Started
 * by {@code serve} (and {@code demo}), never at application start, so offline commands leave the port free.
 */
@ApplicationScoped
public class DicomNode {
    private static final Logger LOG = Logger.getLogger(DicomNode.class);

    @Inject
    LivernodeConfig config;
    @Inject
    InstanceReceiver receiver;
    @Inject
    InstanceStore store;
    @Inject
    SeriesCompletion completion;
    @Inject
    NodeMetrics metrics;
    @Inject
    StoreReconciliation reconciliation;

    private StorageScp scp;
    private ScheduledExecutorService completionTimer;

    /** Opens the DICOM port and starts the completion check. */
    public synchronized void start() {
        if (scp != null) {
            return;
        }
        int swept = store.sweepIncoming();
        if (swept > 0) {
            LOG.infof("removed %d half-received file(s) that stopped processes left in incoming/", swept);
        }
        reconciliation.run();
        LivernodeConfig.Dicom dicom = config.dicom();
        CallerPolicy callers = CallerPolicy.of(dicom.allowedCallers().orElse(List.of()));
        try {
            scp = new StorageScp(dicom, callers, receiver, metrics);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + dicom.bindAddress() + ":" + dicom.port()
                    + " (livernode.dicom.port / livernode.dicom.bind-address): " + e.getMessage(), e);
        }
        completionTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "series-completion");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, config.series().checkInterval().toMillis());
        completionTimer.scheduleWithFixedDelay(this::checkCompletion, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("DICOM node %s listening on %s:%d (data in %s, quiet period %s%s)", dicom.aeTitle(),
                dicom.bindAddress(), scp.port(), store.dataDir(), config.series().quietPeriod(),
                callers.allowsEveryone() ? "" : ", callers restricted");
    }

    /** Closes the port (open associations are cut: their partial instances are dropped) and stops the check. */
    public synchronized void stop() {
        if (scp == null) {
            return;
        }
        completionTimer.shutdownNow();
        scp.stop();
        scp = null;
        LOG.info("DICOM node stopped");
    }

    public synchronized boolean isListening() {
        return scp != null && scp.isListening();
    }

    /** The bound port (useful when {@code livernode.dicom.port=0} picks a free one). */
    public synchronized int port() {
        if (scp == null) {
            throw new IllegalStateException("the DICOM node is not started");
        }
        return scp.port();
    }

    public String aeTitle() {
        return config.dicom().aeTitle();
    }

    /** Runs one completion check now (the timer does this every livernode.series.check-interval). */
    public void checkCompletion() {
        try {
            completion.queueDueSeries(Instant.now(), config.series().quietPeriod());
        } catch (Exception e) {
            LOG.errorf(e, "series completion check failed; retrying in %s", config.series().checkInterval());
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stop();
    }
}
