package org.livernode.corrections;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A Segmentation sent to the node that is not the node's own, and how the node's SEG of the same CT series agrees
 * with it: DSC, ASD and HD95 (mm, 3D on the CT's geometry), the two liver volumes and their difference
 * (correction minus node, mL), with the model version that made the node's SEG.
 */
@Entity
@Table(name = "correction")
public class Correction {
    /** The correction's own SOP Instance UID. */
    @Id
    @Column(name = "sop_instance_uid", length = 64)
    public String sopInstanceUid;

    @Column(name = "study_uid", length = 64, nullable = false)
    public String studyUid;

    @Column(name = "seg_series_uid", length = 64, nullable = false)
    public String segSeriesUid;

    @Column(name = "sop_class_uid", length = 64, nullable = false)
    public String sopClassUid;

    /** BINARY or LABELMAP. */
    @Column(name = "segmentation_type", length = 16)
    public String segmentationType;

    @Column(name = "manufacturer", length = 64)
    public String manufacturer;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", length = 16, nullable = false)
    public CorrectionState state;

    /** Why it is WAITING, NOT_MEASURED or OWN_OUTPUT, in words. */
    @Column(name = "reason", length = 4000)
    public String reason;

    /** The CT series it corrects. */
    @Column(name = "ct_series_uid", length = 64)
    public String ctSeriesUid;

    /** The node's job whose SEG it was measured against (the series' latest DONE job). */
    @Column(name = "job_id")
    public Long jobId;

    @Column(name = "ai_seg_sop_instance_uid", length = 64)
    public String aiSegSopInstanceUid;

    /** The model that made the node's SEG, as the job recorded it (name and version). */
    @Column(name = "model", length = 128)
    public String model;

    @Column(name = "slices")
    public Integer slices;

    @Column(name = "dsc")
    public Double dsc;

    /** Null when undefined (one of the masks is empty). */
    @Column(name = "asd_mm")
    public Double asdMm;

    @Column(name = "hd95_mm")
    public Double hd95Mm;

    @Column(name = "ai_volume_ml")
    public Double aiVolumeMl;

    @Column(name = "corrected_volume_ml")
    public Double correctedVolumeMl;

    /** Corrected minus node, mL: positive when the radiologist added liver. */
    @Column(name = "volume_difference_ml")
    public Double volumeDifferenceMl;

    /** When the correction was stored. */
    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    /** When the node last looked at it. */
    @Column(name = "examined_at", nullable = false)
    public Instant examinedAt;
}
