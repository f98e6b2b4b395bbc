-- Users of the REST API, DICOMweb, the study list and the viewer (README "Security"): bcrypt password hashes,
-- comma-separated roles (viewer, uploader, admin). Valid on H2 and PostgreSQL.
CREATE TABLE node_user (
    name          VARCHAR(64)  NOT NULL PRIMARY KEY,
    password_hash VARCHAR(100) NOT NULL,
    roles         VARCHAR(64)  NOT NULL,
    created       TIMESTAMP WITH TIME ZONE NOT NULL
);
