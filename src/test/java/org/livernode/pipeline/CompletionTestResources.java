package org.livernode.pipeline;

import org.livernode.testing.NodeTestResources;

import java.util.Map;

/**
 * The node of {@link EarlyCompletionTest} and {@link SegmentationOnArrivalTest}: a quiet period of an hour, so a
 * series completes early or when a test moves the clock ({@link org.livernode.testing.AdjustableClock}), never by
 * waiting; no destination (the SEGs are checked in the node's store).
 */
public class CompletionTestResources extends NodeTestResources {
    public static final java.time.Duration QUIET_PERIOD = java.time.Duration.ofHours(1);

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        config.put("livernode.series.quiet-period", QUIET_PERIOD.toString());
        config.put("livernode.worker.poll-interval", "200ms");
        return config;
    }
}
