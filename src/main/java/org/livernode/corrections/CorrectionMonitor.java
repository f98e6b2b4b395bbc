package org.livernode.corrections;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link CorrectionScan} every {@code livernode.corrections.check-interval} on a thread of its own, so a slow
 * measurement never delays the DICOM node or the worker. Started by {@code serve} and {@code demo}.
 */
@ApplicationScoped
public class CorrectionMonitor {
    private static final Logger LOG = Logger.getLogger(CorrectionMonitor.class);

    @Inject
    LivernodeConfig config;
    @Inject
    CorrectionScan scan;
    @Inject
    CorrectionMetrics metrics;

    private ScheduledExecutorService timer;

    public synchronized void start() {
        if (timer != null) {
            return;
        }
        metrics.refresh();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "corrections");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, config.corrections().checkInterval().toMillis());
        timer.scheduleWithFixedDelay(this::scanOnce, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("corrections: Segmentations not made by the node are measured against its SEG (every %s)",
                config.corrections().checkInterval());
    }

    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private void scanOnce() {
        try {
            scan.scan();
        } catch (Exception e) {
            LOG.errorf(e, "corrections scan failed; retrying in %s", config.corrections().checkInterval());
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stop();
    }
}
