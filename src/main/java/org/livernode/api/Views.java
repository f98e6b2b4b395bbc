package org.livernode.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import org.livernode.corrections.Correction;
import org.livernode.corrections.CorrectionState;
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
    public record StudyView(StudySummary study, List<SeriesSummary> series, List<CorrectionView> corrections) {
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
                             List<InstanceView> instances, List<CorrectionView> corrections) {
    }

    /**
     * A Segmentation sent to the node that is not its own, and (MEASURED) how the node's SEG of the CT series agrees
     * with it: DSC, ASD and HD95 in mm (3D, on the CT's geometry), liver volumes and their difference (corrected
     * minus node, mL), with the model that made the node's SEG.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CorrectionView(String sopInstanceUid, String seriesUid, String studyUid, String sopClassUid,
                                 String segmentationType, String manufacturer, CorrectionState state, String reason,
                                 String ctSeriesUid, Long jobId, String aiSegSopInstanceUid, String model,
                                 Integer slices, Double dsc, Double asdMm, Double hd95Mm, Double aiVolumeMl,
                                 Double correctedVolumeMl, Double volumeDifferenceMl, Instant receivedAt,
                                 Instant examinedAt) {
        static CorrectionView of(Correction c) {
            return new CorrectionView(c.sopInstanceUid, c.segSeriesUid, c.studyUid, c.sopClassUid, c.segmentationType,
                    c.manufacturer, c.state, c.reason, c.ctSeriesUid, c.jobId, c.aiSegSopInstanceUid, c.model, c.slices,
                    c.dsc, c.asdMm, c.hd95Mm, c.aiVolumeMl, c.correctedVolumeMl, c.volumeDifferenceMl, c.receivedAt,
                    c.examinedAt);
        }
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
                          Instant leaseUntil, Integer deliveryAttempts, Instant nextAttemptAt,
                          @JsonRawValue String result) {
        static JobView of(Job j) {
            return new JobView(j.id, j.seriesUid, j.studyUid, j.getState(), j.reason, j.queuedAt, j.startedAt,
                    j.finishedAt, j.attempts, j.claimedBy, j.leaseUntil, j.deliveryAttempts == 0 ? null : j.deliveryAttempts,
                    j.nextAttemptAt, j.resultJson);
        }
    }
}
