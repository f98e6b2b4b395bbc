package org.livernode.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import org.livernode.store.Instance;
import org.livernode.store.Job;
import org.livernode.store.JobState;
import org.livernode.store.Series;
import org.livernode.store.Study;

import java.time.Instant;
import java.util.List;

/** JSON shapes of the REST API. */
public final class Views {
    private Views() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StudySummary(String studyUid, String patientId, String patientName, String studyDate,
                               String studyDescription, String accessionNumber, Instant firstReceived,
                               Instant lastReceived, long seriesCount, long instanceCount,
                               List<SeriesSummary> series) {
        /** Without its series (the study view lists them beside it). */
        static StudySummary of(Study s, long seriesCount, long instanceCount) {
            return new StudySummary(s.studyUid, s.patientId, s.patientName, s.studyDate, s.studyDescription,
                    s.accessionNumber, s.firstReceived, s.lastReceived, seriesCount, instanceCount, null);
        }

        /** With its series, so the study list needs one request. */
        static StudySummary of(Study s, List<SeriesSummary> series) {
            return new StudySummary(s.studyUid, s.patientId, s.patientName, s.studyDate, s.studyDescription,
                    s.accessionNumber, s.firstReceived, s.lastReceived, series.size(),
                    series.stream().mapToLong(SeriesSummary::instanceCount).sum(), series);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StudyView(StudySummary study, List<SeriesSummary> series) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SeriesSummary(String seriesUid, String studyUid, String modality, Integer seriesNumber,
                                String seriesDescription, Instant firstReceived, Instant lastReceived,
                                long instanceCount, JobState jobState, JobView job, LiverVolume liverVolume) {
        /**
         * @param job the series' latest job, or null
         * @param liverVolume the series' liver volume (from an SR, else the job), or null
         */
        static SeriesSummary of(Series s, long instanceCount, JobView job, LiverVolume liverVolume) {
            return new SeriesSummary(s.seriesUid, s.studyUid, s.modality, s.seriesNumber, s.seriesDescription,
                    s.firstReceived, s.lastReceived, instanceCount, job == null ? null : job.state(), job, liverVolume);
        }
    }

    /**
     * The liver volume of a CT series in mL (to 0.1) and where it comes from: {@code SR}, read back from the TID
     * 1500 report {@code srSopInstanceUid} in the index, or {@code JOB}, the job's result.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LiverVolume(double ml, String from, String srSopInstanceUid) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SeriesView(String seriesUid, String studyUid, String modality, Integer seriesNumber,
                             String seriesDescription, Instant firstReceived, Instant lastReceived,
                             long instanceCount, JobState jobState, JobView job, List<JobView> jobs,
                             List<InstanceView> instances) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstanceView(String sopInstanceUid, String sopClassUid, String transferSyntaxUid,
                               Integer instanceNumber, String imageType, String imagePosition,
                               String callingAeTitle, String callingHost, long sizeBytes, Instant receivedAt,
                               String path) {
        static InstanceView of(Instance i) {
            return new InstanceView(i.sopInstanceUid, i.sopClassUid, i.transferSyntaxUid, i.instanceNumber,
                    i.imageType, i.imagePosition, i.callingAeTitle, i.callingHost, i.sizeBytes, i.receivedAt, i.path);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobView(long id, String seriesUid, String studyUid, JobState state, String reason,
                          Instant queuedAt, Instant startedAt, Instant finishedAt, int attempts, String claimedBy,
                          Instant leaseUntil, @JsonRawValue String result) {
        static JobView of(Job j) {
            return new JobView(j.id, j.seriesUid, j.studyUid, j.getState(), j.reason, j.queuedAt, j.startedAt,
                    j.finishedAt, j.attempts, j.claimedBy, j.leaseUntil, j.resultJson);
        }
    }
}
