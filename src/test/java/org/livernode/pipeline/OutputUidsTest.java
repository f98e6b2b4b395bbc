package org.livernode.pipeline;

import org.junit.jupiter.api.Test;
import org.livernode.dicom.vocabulary.Uids;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputUidsTest {
    private static final Instant QUEUED = Instant.parse("2026-12-01T10:00:00.123Z");

    @Test
    void theSameJobGetsTheSameUidsAgain() {
        OutputUids first = OutputUids.of(OutputUids.Kind.SEG, "1.2.3.4", 7, QUEUED);
        assertEquals(first, OutputUids.of(OutputUids.Kind.SEG, "1.2.3.4", 7, QUEUED));
        assertTrue(Uids.isValid(first.seriesInstanceUid()) && Uids.isValid(first.sopInstanceUid()), first.toString());
    }

    @Test
    void aLaterJobAddsAnInstanceToTheSameOutputSeries() {
        OutputUids first = OutputUids.of(OutputUids.Kind.SEG, "1.2.3.4", 7, QUEUED);
        OutputUids later = OutputUids.of(OutputUids.Kind.SEG, "1.2.3.4", 9, QUEUED.plusSeconds(60));
        assertEquals(first.seriesInstanceUid(), later.seriesInstanceUid());
        assertNotEquals(first.sopInstanceUid(), later.sopInstanceUid());
    }

    @Test
    void kindsSeriesAndInstallationsNeverShareAUid() {
        OutputUids seg = OutputUids.of(OutputUids.Kind.SEG, "1.2.3.4", 7, QUEUED);
        OutputUids sr = OutputUids.of(OutputUids.Kind.SR, "1.2.3.4", 7, QUEUED);
        OutputUids otherSeries = OutputUids.of(OutputUids.Kind.SEG, "1.2.3.5", 7, QUEUED);
        OutputUids otherInstallation = OutputUids.of(OutputUids.Kind.SEG, "1.2.3.4", 7, QUEUED.plusMillis(1));
        assertNotEquals(seg.seriesInstanceUid(), sr.seriesInstanceUid());
        assertNotEquals(seg.sopInstanceUid(), sr.sopInstanceUid());
        assertNotEquals(seg.seriesInstanceUid(), otherSeries.seriesInstanceUid());
        assertNotEquals(seg.sopInstanceUid(), otherInstallation.sopInstanceUid());
    }
}
