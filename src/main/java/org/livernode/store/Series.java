package org.livernode.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A series of a {@link Study}; {@code lastReceived} and {@code releasedAt} drive series completion. */
@Entity
@Table(name = "series")
public class Series {
    @Id
    @Column(name = "series_uid", length = 64)
    public String seriesUid;

    @Column(name = "study_uid", length = 64, nullable = false)
    public String studyUid;

    @Column(name = "modality", length = 16)
    public String modality;

    @Column(name = "series_number")
    public Integer seriesNumber;

    @Column(name = "series_description", length = 64)
    public String seriesDescription;

    @Column(name = "first_received", nullable = false)
    public Instant firstReceived;

    @Column(name = "last_received", nullable = false)
    public Instant lastReceived;

    /** When an association that stored this series was released (null: never); see {@link SeriesCompletion}. */
    @Column(name = "released_at")
    public Instant releasedAt;
}
