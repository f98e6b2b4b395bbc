package org.livernode.store;

import java.util.List;

/**
 * Life of a {@link Job}: QUEUED, RUNNING (segmenting, writing and storing its outputs) and DELIVERING (outputs
 * stored, C-STORE attempts due at {@code nextAttemptAt}) are "open": at most one open job per series.
 */
public enum JobState {
    QUEUED, RUNNING, DELIVERING, DONE, FAILED, SKIPPED;

    /** The open states, for queries. */
    public static final List<JobState> OPEN = List.of(QUEUED, RUNNING, DELIVERING);

    public boolean isOpen() {
        return OPEN.contains(this);
    }
}
