package org.livernode.pipeline;

import org.livernode.dicom.DcmtkStoreScp;
import org.livernode.testing.NodeTestResources;

import java.io.IOException;
import java.util.Map;

/**
 * The node of {@link EndToEndTest} and {@link DestinationOutageTest}: a fresh data directory (and database), four
 * known AEs on free ports (a test starts dcmtk storescp on them when it wants the destination up), a short quiet
 * period and response timeout, and a delivery backoff that only runs out when the test moves the clock
 * ({@link org.livernode.testing.AdjustableClock}).
 */
public class PipelineTestResources extends NodeTestResources {
    /** Calling AE titles of the test's senders; each is known at its own port. */
    public static final String DELIVERED_AE = "E2EPACS";
    public static final String LATE_AE = "LATEPACS";
    public static final String DOWN_AE = "DOWNPACS";
    /** Known at a port where {@link DestinationOutageTest} holds a black hole: TCP accepted, nothing answered. */
    public static final String SILENT_AE = "SILENTPACS";
    public static final int DELIVERY_ATTEMPTS = 4;
    /** The wait after a failed delivery attempt: long, so an attempt is due only when a test moves the clock. */
    public static final java.time.Duration BACKOFF = java.time.Duration.ofMinutes(10);
    /** How long a destination may send nothing while an answer is due: short, so a black hole fails an attempt soon. */
    public static final java.time.Duration RESPONSE_TIMEOUT = java.time.Duration.ofSeconds(5);

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        try {
            config.put("livernode.known-aes", String.join(",",
                    DELIVERED_AE + "@127.0.0.1:" + DcmtkStoreScp.freePort(),
                    LATE_AE + "@127.0.0.1:" + DcmtkStoreScp.freePort(),
                    DOWN_AE + "@127.0.0.1:" + DcmtkStoreScp.freePort(),
                    SILENT_AE + "@127.0.0.1:" + DcmtkStoreScp.freePort()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot pick free ports", e);
        }
        config.put("livernode.series.quiet-period", "1s");
        config.put("livernode.worker.poll-interval", "200ms");
        config.put("livernode.delivery.attempts", Integer.toString(DELIVERY_ATTEMPTS));
        config.put("livernode.delivery.initial-backoff", BACKOFF.toString());
        config.put("livernode.delivery.max-backoff", BACKOFF.toString());
        config.put("livernode.delivery.response-timeout", RESPONSE_TIMEOUT.toString());
        return config;
    }
}
