package org.livernode.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One stored SOP Instance: where its file is and how it arrived. */
@Entity
@Table(name = "instance")
public class Instance {
    @Id
    @Column(name = "sop_instance_uid", length = 64)
    public String sopInstanceUid;

    @Column(name = "series_uid", length = 64, nullable = false)
    public String seriesUid;

    @Column(name = "sop_class_uid", length = 64, nullable = false)
    public String sopClassUid;

    @Column(name = "transfer_syntax_uid", length = 64, nullable = false)
    public String transferSyntaxUid;

    @Column(name = "calling_ae_title", length = 16)
    public String callingAeTitle;

    @Column(name = "calling_host", length = 255)
    public String callingHost;

    @Column(name = "instance_number")
    public Integer instanceNumber;

    /** Image Type (0008,0008) values joined with a backslash, as in DICOM. */
    @Column(name = "image_type", length = 256)
    public String imageType;

    /** Image Position (Patient) (0020,0032) as DICOM writes it ({@code x\y\z}). */
    @Column(name = "image_position", length = 128)
    public String imagePosition;

    /** Images in Acquisition (0020,1002) as the sender gave it, else null. */
    @Column(name = "images_in_acquisition")
    public Integer imagesInAcquisition;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    /** Path of the file relative to the data directory. */
    @Column(name = "path", length = 512, nullable = false)
    public String path;
}
