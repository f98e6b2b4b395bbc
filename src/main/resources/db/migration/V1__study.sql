CREATE TABLE study (
    study_uid      VARCHAR(64)  NOT NULL PRIMARY KEY,
    patient_id     VARCHAR(64),
    patient_name   VARCHAR(324),
    study_date     VARCHAR(8),
    first_received TIMESTAMP WITH TIME ZONE NOT NULL
);
