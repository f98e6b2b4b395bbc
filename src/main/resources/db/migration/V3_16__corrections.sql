-- Issue 16: radiologists' corrected SEGs (BINARY or LABELMAP) sent back, each linked to the node's own SEG of the
-- same CT series and measured against it. One row per Segmentation instance the node looked at, so none is read
-- twice; state says what came of it. Valid on H2 and PostgreSQL.
CREATE TABLE correction (
    sop_instance_uid         VARCHAR(64)  NOT NULL PRIMARY KEY,
    study_uid                VARCHAR(64)  NOT NULL,
    seg_series_uid           VARCHAR(64)  NOT NULL,
    sop_class_uid            VARCHAR(64)  NOT NULL,
    segmentation_type        VARCHAR(16),
    manufacturer             VARCHAR(64),
    state                    VARCHAR(16)  NOT NULL,
    reason                   VARCHAR(4000),
    ct_series_uid            VARCHAR(64),
    job_id                   BIGINT,
    ai_seg_sop_instance_uid  VARCHAR(64),
    model                    VARCHAR(128),
    slices                   INTEGER,
    dsc                      DOUBLE PRECISION,
    asd_mm                   DOUBLE PRECISION,
    hd95_mm                  DOUBLE PRECISION,
    ai_volume_ml             DOUBLE PRECISION,
    corrected_volume_ml      DOUBLE PRECISION,
    volume_difference_ml     DOUBLE PRECISION,
    received_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    examined_at              TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX correction_ct_series_idx ON correction (ct_series_uid);
CREATE INDEX correction_study_idx ON correction (study_uid);
CREATE INDEX correction_model_idx ON correction (state, model);
