package org.livernode.store;

/** Life of a {@link Job}: QUEUED and RUNNING are "open" (at most one open job per series). */
public enum JobState {
    QUEUED, RUNNING, DONE, FAILED, SKIPPED;

    public boolean isOpen() {
        return this == QUEUED || this == RUNNING;
    }
}
