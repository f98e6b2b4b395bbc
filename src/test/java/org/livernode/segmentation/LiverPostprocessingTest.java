package org.livernode.segmentation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LiverPostprocessingTest {

    private static byte[][] volume(int slices, int rows, int columns) {
        return new byte[slices][rows * columns];
    }

    private static void box(byte[][] v, int columns, int k0, int k1, int r0, int r1, int c0, int c1) {
        for (int k = k0; k <= k1; k++) {
            for (int r = r0; r <= r1; r++) {
                for (int c = c0; c <= c1; c++) {
                    v[k][r * columns + c] = 1;
                }
            }
        }
    }

    private static long count(byte[][] v) {
        long n = 0;
        for (byte[] s : v) {
            for (byte b : s) {
                n += b;
            }
        }
        return n;
    }

    @Test
    void keepsOnlyTheLargestComponentAcrossSlices() {
        byte[][] v = volume(4, 10, 10);
        box(v, 10, 0, 3, 1, 4, 1, 4);   // 4*4*4 = 64 voxels spanning all slices
        box(v, 10, 1, 1, 7, 8, 7, 8);   // 4 voxels, separate
        long kept = LiverPostprocessing.keepLargestComponent(v, 10, 10);
        assertEquals(64, kept);
        assertEquals(64, count(v));
        assertEquals(0, v[1][7 * 10 + 7]);
        assertEquals(1, v[3][4 * 10 + 4]);
    }

    @Test
    void diagonalNeighboursAreSeparateComponents() {
        byte[][] v = volume(1, 4, 4);
        box(v, 4, 0, 0, 0, 1, 0, 1); // 4 voxels
        box(v, 4, 0, 0, 2, 2, 2, 2); // touches only by a corner
        LiverPostprocessing.keepLargestComponent(v, 4, 4);
        assertEquals(4, count(v));
    }

    @Test
    void fillsEnclosedHolesButNotBorderConnectedBackground() {
        byte[][] v = volume(1, 7, 7);
        box(v, 7, 0, 0, 1, 5, 1, 5);
        v[0][3 * 7 + 3] = 0;          // enclosed hole
        v[0][1 * 7 + 3] = 0;          // notch open to the outside through the ring's edge
        v[0][0 * 7 + 3] = 0;
        LiverPostprocessing.fillHoles(v[0], 7, 7);
        assertEquals(1, v[0][3 * 7 + 3]);
        assertEquals(0, v[0][1 * 7 + 3]);
        assertEquals(24, count(v));
    }

    @Test
    void emptyVolumeStaysEmpty() {
        byte[][] v = volume(3, 5, 5);
        assertEquals(0, LiverPostprocessing.apply(v, 5, 5));
    }
}
