package org.livernode.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A DICOM study the node has received at least one instance of. */
@Entity
@Table(name = "study")
public class Study {
    @Id
    @Column(name = "study_uid", length = 64)
    public String studyUid;

    @Column(name = "patient_id", length = 64)
    public String patientId;

    @Column(name = "patient_name", length = 324)
    public String patientName;

    @Column(name = "study_date", length = 8)
    public String studyDate;

    @Column(name = "study_description", length = 64)
    public String studyDescription;

    @Column(name = "accession_number", length = 16)
    public String accessionNumber;

    @Column(name = "first_received", nullable = false)
    public Instant firstReceived;

    @Column(name = "last_received", nullable = false)
    public Instant lastReceived;
}
