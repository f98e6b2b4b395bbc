package org.livernode.pipeline;

import org.livernode.store.Job;
import org.livernode.store.JobQueue;

import java.time.Duration;

/** Test-only: waits for the latest job of a series to leave QUEUED/RUNNING. */
public final class JobWaits {

    private JobWaits() {
    }

    public static Job finished(JobQueue queue, String seriesUid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var job = queue.latestFor(seriesUid);
            if (job.isPresent() && !job.get().getState().isOpen()) {
                return job.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no finished job for series " + seriesUid + " within " + timeout
                + " (no job at all is the silence issue 10 is about)");
    }
}
