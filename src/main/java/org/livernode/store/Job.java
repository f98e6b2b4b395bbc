package org.livernode.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * Processing of one complete series. A worker claims a QUEUED job by setting {@code claimedBy} and
 * {@code leaseUntil} (and RUNNING); a lease that runs out lets another replica take the job over. Once its outputs
 * are stored the job is DELIVERING: each C-STORE attempt is claimed the same way once {@code nextAttemptAt} is due.
 * {@code openKey} mirrors the series UID while the job is open, so the database itself refuses a
 * second open job for the same series: always change state through {@link #setState(JobState)}.
 */
@Entity
@Table(name = "job")
public class Job {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    public Long id;

    @Column(name = "series_uid", length = 64, nullable = false)
    public String seriesUid;

    @Column(name = "study_uid", length = 64, nullable = false)
    public String studyUid;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", length = 16, nullable = false)
    private JobState state;

    @Column(name = "open_key", length = 64)
    private String openKey;

    /** Why the job failed or was skipped, in words. */
    @Column(name = "reason", length = 4000)
    public String reason;

    @Column(name = "queued_at", nullable = false)
    public Instant queuedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "attempts", nullable = false)
    public int attempts;

    @Column(name = "claimed_by", length = 128)
    public String claimedBy;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    /** While DELIVERING: when the next C-STORE attempt is due (the queue's backoff). */
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    /** C-STORE attempts of this job's outputs so far (each claim of a DELIVERING job is one). */
    @Column(name = "delivery_attempts", nullable = false)
    public int deliveryAttempts;

    /** Result as JSON text (liver volume in mL, SEG SOP Instance UID, path, timings). */
    @Column(name = "result_json", length = 65536)
    public String resultJson;

    public JobState getState() {
        return state;
    }

    public void setState(JobState state) {
        this.state = state;
        this.openKey = state.isOpen() ? seriesUid : null;
    }

    /** A new QUEUED job for a series. */
    public static Job queued(String seriesUid, String studyUid, Instant now) {
        Job job = new Job();
        job.seriesUid = seriesUid;
        job.studyUid = studyUid;
        job.queuedAt = now;
        job.setState(JobState.QUEUED);
        return job;
    }
}
