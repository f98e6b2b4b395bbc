package org.livernode.pipeline;

import org.livernode.dicom.vocabulary.Uids;

import java.time.Instant;

/**
 * The UIDs of what a job writes, derived from the job and its source series alone, so that a job run again after
 * a crash writes the same objects and a resend replaces instead of adding. Each kind of output has its own series
 * per source series (a later job for the same series adds a later instance to it, which supersedes the first);
 * each job has its own instance of each kind.
 */
public record OutputUids(String seriesInstanceUid, String sopInstanceUid) {

    /** The kinds of output a job can write; the name is part of the derived UIDs, so it never changes. */
    public enum Kind {
        SEG, SR, OVERLAY
    }

    /**
     * @param jobQueuedAt when the job was queued: with the job's id it names the job uniquely also across
     *                    installations (whose job ids both start at 1), so two nodes never write one UID
     */
    public static OutputUids of(Kind kind, String sourceSeriesUid, long jobId, Instant jobQueuedAt) {
        Uids.require("source Series Instance UID", sourceSeriesUid);
        return new OutputUids(Uids.fromName("livernode:" + sourceSeriesUid + ":" + kind + ":series"),
                Uids.fromName("livernode:" + sourceSeriesUid + ":job:" + jobId + "@" + jobQueuedAt.toEpochMilli()
                        + ":" + kind + ":instance"));
    }

    /** For an output with one instance per source image (the overlay series): the instance made from that image. */
    public String instanceFor(String sourceSopInstanceUid) {
        Uids.require("source SOP Instance UID", sourceSopInstanceUid);
        return Uids.fromName(sopInstanceUid + ":from:" + sourceSopInstanceUid);
    }
}
