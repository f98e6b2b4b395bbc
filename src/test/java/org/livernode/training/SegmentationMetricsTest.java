package org.livernode.training;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentationMetricsTest {

    private static final int N = 40;

    private static byte[] square(int top, int left, int side) {
        byte[] m = new byte[N * N];
        for (int r = top; r < top + side; r++) {
            for (int c = left; c < left + side; c++) {
                m[r * N + c] = 1;
            }
        }
        return m;
    }

    /**
     * 10x10 squares at columns 10-19 and 15-24: overlap 50 px. Surface of each = 36 px ring; distances from A's
     * ring to B's: left column 10 x 5, right column 0,1,2,3,4,4,3,2,1,0 = 20, top and bottom rows 4+3+2+1 = 10
     * each: 90 over 36 points, the same from B by symmetry, so ASD = 180 / 72 = 2.5; the 10 largest of 36 are 5,
     * so each directed 95th percentile is 5.
     */
    @Test
    void twoOffsetSquares() {
        SegmentationMetrics m = SegmentationMetrics.of(new byte[][] {square(10, 10, 10)}, new byte[][] {square(10, 15, 10)},
                N, N, 1.0, 1.0);
        assertEquals(0.5, m.dsc(), 1e-12);
        assertEquals(2.0 / 3.0, m.voe(), 1e-12);
        assertEquals(0.5, m.precision(), 1e-12);
        assertEquals(0.5, m.recall(), 1e-12);
        assertEquals(2.5, m.asdMm(), 1e-12);
        assertEquals(5.0, m.hd95Mm(), 1e-12);
    }

    @Test
    void spacingScalesDistancesOnly() {
        SegmentationMetrics m = SegmentationMetrics.of(new byte[][] {square(10, 10, 10)}, new byte[][] {square(10, 15, 10)},
                N, N, 0.5, 0.5);
        assertEquals(0.5, m.dsc(), 1e-12);
        assertEquals(1.25, m.asdMm(), 1e-12);
        assertEquals(2.5, m.hd95Mm(), 1e-12);
    }

    @Test
    void precisionAndRecallDifferWhenPredictionIsInsideTruth() {
        // prediction 4x4 inside a 10x10 truth: precision 1, recall 16/100, DSC 32/116
        SegmentationMetrics m = SegmentationMetrics.of(new byte[][] {square(13, 13, 4)}, new byte[][] {square(10, 10, 10)},
                N, N, 1, 1);
        assertEquals(1.0, m.precision(), 1e-12);
        assertEquals(0.16, m.recall(), 1e-12);
        assertEquals(32.0 / 116.0, m.dsc(), 1e-12);
        assertEquals(1 - 16.0 / 100.0, m.voe(), 1e-12);
    }

    @Test
    void identicalMasksArePerfect() {
        SegmentationMetrics m = SegmentationMetrics.of(new byte[][] {square(5, 5, 8)}, new byte[][] {square(5, 5, 8)}, N, N, 1, 1);
        assertEquals(1.0, m.dsc());
        assertEquals(0.0, m.voe());
        assertEquals(0.0, m.asdMm());
        assertEquals(0.0, m.hd95Mm());
    }

    @Test
    void emptyVersusEmptyIsPerfect() {
        SegmentationMetrics m = SegmentationMetrics.of(new byte[][] {new byte[N * N]}, new byte[][] {new byte[N * N]}, N, N, 1, 1);
        assertEquals(1.0, m.dsc());
        assertEquals(0.0, m.voe());
        assertEquals(1.0, m.precision());
        assertEquals(1.0, m.recall());
        assertEquals(0.0, m.asdMm());
        assertEquals(0.0, m.hd95Mm());
    }

    @Test
    void emptyVersusNonEmptyHasNoOverlapAndNoDistance() {
        SegmentationMetrics m = SegmentationMetrics.of(new byte[][] {new byte[N * N]}, new byte[][] {square(1, 1, 3)}, N, N, 1, 1);
        assertEquals(0.0, m.dsc());
        assertEquals(1.0, m.voe());
        assertEquals(0.0, m.precision());
        assertEquals(0.0, m.recall());
        assertTrue(Double.isNaN(m.asdMm()));
        assertTrue(Double.isNaN(m.hd95Mm()));
        assertEquals(9, m.truthPixels());
    }

    @Test
    void slicesAreMeasuredIndependently() {
        // slice 0 both empty, slice 1 the offset squares: same figures as the single-slice case
        SegmentationMetrics m = SegmentationMetrics.of(new byte[][] {new byte[N * N], square(10, 10, 10)},
                new byte[][] {new byte[N * N], square(10, 15, 10)}, N, N, 1, 1);
        assertEquals(0.5, m.dsc(), 1e-12);
        assertEquals(2.5, m.asdMm(), 1e-12);
    }

    /**
     * A 3x3 square on three slices at 0, 2 and 5 mm against the same square on the first two only. Prediction's
     * surface: slice 0 (the volume's border) 9 points, slice 1 its ring of 8 (the centre has both neighbours),
     * slice 2 9 points 3 mm above the truth's last slice: 27 over 26 points, and the directed 95th percentile is 3.
     * Truth's surface: 9 + 9 (slice 1 has nothing above); all at 0 from the prediction's but slice 1's centre, 1 mm
     * from the ring: 1 over 18. ASD = 28 / 44; HD95 = max(3, 0.15) = 3; DSC = 2*18 / (27+18).
     */
    @Test
    void volumeSurfacesAreThreeDimensionalOnTheSlicePositions() {
        byte[] sq = square(5, 5, 3);
        byte[] none = new byte[N * N];
        SegmentationMetrics m = SegmentationMetrics.ofVolume(new byte[][] {sq, sq, sq}, new byte[][] {sq, sq, none},
                N, N, 1.0, 1.0, new double[] {0, 2, 5});
        assertEquals(0.8, m.dsc(), 1e-12);
        assertEquals(28.0 / 44.0, m.asdMm(), 1e-12);
        assertEquals(3.0, m.hd95Mm(), 1e-12);
        assertEquals(27, m.predictedPixels());
    }

    @Test
    void volumeOfIdenticalMasksAgreesFullyAndRefusesUnsortedPositions() {
        byte[] sq = square(5, 5, 4);
        SegmentationMetrics m = SegmentationMetrics.ofVolume(new byte[][] {sq, sq}, new byte[][] {sq, sq}, N, N,
                0.7, 0.7, new double[] {-10, -7.5});
        assertEquals(1.0, m.dsc(), 1e-12);
        assertEquals(0.0, m.asdMm(), 1e-12);
        assertEquals(0.0, m.hd95Mm(), 1e-12);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SegmentationMetrics.ofVolume(new byte[][] {sq, sq}, new byte[][] {sq, sq}, N, N, 1, 1, new double[] {3, 1}));
        assertTrue(e.getMessage().contains("ascend"), e.getMessage());
    }
}
