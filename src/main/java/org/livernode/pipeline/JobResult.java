package org.livernode.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * What a job found and did, as kept in the job row ({@code result_json}) and shown by {@code GET /api/jobs}: the
 * figures of the segmentation, the stored outputs and how their delivery stands. One type for the worker, the
 * resend and the demo, so none of them reads a field back by its name in a string.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobResult(Integer slices, List<String> notes, Integer slicesWithLiver, Integer framesWritten,
                        Double liverMl, Double liverMeanHu, Double liverSdHu, String model,
                        String segSeriesInstanceUid, String segSopInstanceUid, String segPath,
                        List<Output> outputs, Delivery delivery, Timings timings) {

    /** An output besides the SEG (SR, overlay series) as stored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Output(String kind, String seriesInstanceUid, int instances, String sopInstanceUid) {
    }

    /** Where the outputs go and how far they got. */
    public enum DeliveryStatus {
        /** Not delivered yet; the job is DELIVERING and the queue makes the next attempt at {@code nextAttemptAt}. */
        PENDING, DELIVERED, FAILED, NO_DESTINATION
    }

    /** {@code outputs}: what the destination gets ({@code livernode.outputs-for}, else {@code livernode.outputs}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delivery(DeliveryStatus status, String destination, List<String> outputs, Integer attempts, String error,
                           Instant nextAttemptAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Timings(Long queueWaitMs, Long loadMs, Long inferenceMs, Long segMs, Long deliveryMs) {
        Timings withDeliveryMs(long ms) {
            return new Timings(queueWaitMs, loadMs, inferenceMs, segMs, ms);
        }
    }

    /** No result (a job that ended before it had any). */
    public static final JobResult NONE = new JobResult(null, null, null, null, null, null, null, null, null, null, null,
            null, null, null);

    /** A result that only says how long the job waited in the queue (a job skipped or failed early). */
    public static JobResult waited(long queueWaitMs) {
        return new JobResult(null, null, null, null, null, null, null, null, null, null, null, null, null,
                new Timings(queueWaitMs, null, null, null, null));
    }

    public JobResult withDelivery(Delivery d) {
        return new JobResult(slices, notes, slicesWithLiver, framesWritten, liverMl, liverMeanHu, liverSdHu, model,
                segSeriesInstanceUid, segSopInstanceUid, segPath, outputs, d, timings);
    }

    public JobResult withTimings(Timings t) {
        return new JobResult(slices, notes, slicesWithLiver, framesWritten, liverMl, liverMeanHu, liverSdHu, model,
                segSeriesInstanceUid, segSopInstanceUid, segPath, outputs, delivery, t);
    }

    @JsonIgnore
    public DeliveryStatus deliveryStatus() {
        return delivery == null ? null : delivery.status();
    }

    public String toJson(ObjectMapper json) {
        try {
            return json.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write a job result", e);
        }
    }

    /** The result kept in a job row; an empty result for none, or for text that is not a job result. */
    public static JobResult read(ObjectMapper json, String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        try {
            return json.readValue(text, JobResult.class);
        } catch (JsonProcessingException e) {
            return NONE;
        }
    }
}
