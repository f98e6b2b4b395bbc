package org.livernode.dicom;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.tls.DicomTls;
import org.livernode.dicom.tls.TlsProfile;
import org.livernode.store.InstanceStore;
import org.livernode.store.SeriesCompletion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running DICOM node: the SCP on {@code livernode.dicom.port} (and on {@code livernode.dicom.tls.port} over TLS
 * once the node has a key and certificate) and the series-completion check. Started
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

    @Inject
    DicomTls tls;
    @Inject
    java.time.Clock clock;

    private StorageScp scp;
    private StorageScp tlsScp;
    private volatile ScheduledExecutorService completionTimer;

    /** Opens the DICOM port and starts the completion check. */
    public synchronized void start() {
        if (scp != null || tlsScp != null) {
            return;
        }
        int swept = store.sweepIncoming();
        if (swept > 0) {
            LOG.infof("removed %d half-received file(s) that stopped processes left in incoming/", swept);
        }
        reconciliation.run();
        LivernodeConfig.Dicom dicom = config.dicom();
        CallerPolicy callers = CallerPolicy.of(dicom.allowedCallers().orElse(List.of()));
        boolean withTls = tls.check();
        // The TLS port set to the DICOM port makes that one port TLS only.
        boolean plain = !withTls || dicom.port() == 0 || dicom.tls().port() != dicom.port();
        if (plain) {
            scp = new StorageScp(listen(dicom.bindAddress(), dicom.port(), false, "livernode.dicom.port"), dicom, callers,
                    receiver, metrics, this::checkCompletionSoon);
        }
        if (withTls) {
            tlsScp = new StorageScp(listen(dicom.bindAddress(), dicom.tls().port(), true, "livernode.dicom.tls.port"), dicom,
                    callers, receiver, metrics, this::checkCompletionSoon);
            LOG.infof("DICOM TLS on %s:%d (%s; %s)", dicom.bindAddress(), tlsScp.port(), TlsProfile.NAME, tls.describe());
        }
        completionTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "series-completion");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, config.series().checkInterval().toMillis());
        completionTimer.scheduleWithFixedDelay(this::checkCompletion, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("DICOM node %s listening on %s:%d%s (data in %s, quiet period %s%s)", dicom.aeTitle(),
                dicom.bindAddress(), port(), plain ? "" : " (TLS only)", store.dataDir(), config.series().quietPeriod(),
                callers.allowsEveryone() ? "" : ", callers restricted");
    }

    private ServerSocket listen(String bindAddress, int port, boolean secure, String setting) {
        try {
            if (secure) {
                return tls.openServerSocket(bindAddress, port);
            }
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 64);
            return server;
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port + " (" + setting
                    + " / livernode.dicom.bind-address): " + e.getMessage(), e);
        }
    }

    /** Closes the ports (open associations are cut: their partial instances are dropped) and stops the check. */
    public synchronized void stop() {
        if (scp == null && tlsScp == null) {
            return;
        }
        if (completionTimer != null) {
            completionTimer.shutdownNow();
            completionTimer = null;
        }
        for (StorageScp s : new StorageScp[]{scp, tlsScp}) {
            if (s != null) {
                s.stop();
            }
        }
        scp = null;
        tlsScp = null;
        LOG.info("DICOM node stopped");
    }

    public synchronized boolean isListening() {
        return (scp != null || tlsScp != null) && (scp == null || scp.isListening()) && (tlsScp == null || tlsScp.isListening());
    }

    /** The bound DICOM port (useful when {@code livernode.dicom.port=0} picks a free one); the TLS port when it is the only one. */
    public synchronized int port() {
        if (scp == null && tlsScp == null) {
            throw new IllegalStateException("the DICOM node is not started");
        }
        return scp != null ? scp.port() : tlsScp.port();
    }

    /** The bound TLS port, or -1 when the node has none (no key and certificate set). */
    public synchronized int tlsPort() {
        return tlsScp == null ? -1 : tlsScp.port();
    }

    public String aeTitle() {
        return config.dicom().aeTitle();
    }

    /** A released association may have completed a series: check on the completion thread now, not at its next tick. */
    private void checkCompletionSoon() {
        ScheduledExecutorService timer = completionTimer;
        if (timer != null) {
            try {
                timer.execute(this::checkCompletion);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debugf("node stopping: no completion check (%s)", e.getMessage());
            }
        }
    }

    /** Runs one completion check now (the timer does this every livernode.series.check-interval). */
    public void checkCompletion() {
        try {
            completion.queueDueSeries(clock.instant(), config.series().quietPeriod());
        } catch (Exception e) {
            LOG.errorf(e, "series completion check failed; retrying in %s", config.series().checkInterval());
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stop();
    }
}
