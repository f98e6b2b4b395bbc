package org.livernode.pipeline;

import org.livernode.store.Job;
import org.livernode.store.JobQueue;

import java.time.Duration;
import java.util.function.Predicate;

/** Test-only: waits for the latest job of a series to leave QUEUED/RUNNING. */
public final class JobWaits {

    private JobWaits() {
    }

    /** The latest job of the series once it has left QUEUED/RUNNING/DELIVERING. */
    public static Job finished(JobQueue queue, String seriesUid, Duration timeout) throws InterruptedException {
        return until(queue, seriesUid, job -> !job.getState().isOpen(), "a finished job", timeout);
    }

    /** The latest job of the series once {@code condition} holds for it. */
    public static Job until(JobQueue queue, String seriesUid, Predicate<Job> condition, String what, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Job last = null;
        while (System.nanoTime() < deadline) {
            var job = queue.latestFor(seriesUid);
            if (job.isPresent()) {
                last = job.get();
                if (condition.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + what + " for series " + seriesUid + " within " + timeout + "; latest job: "
                + (last == null ? "none (the silence issue 10 is about)" : last.getState() + " " + last.reason));
    }
}
