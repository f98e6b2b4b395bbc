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

    /**
     * The fill works inside the box around the foreground; on seeded random masks (blobs with holes, rings, shapes
     * against the slice's edges and corners) it gives what a flood of the whole slice from its border gives.
     */
    @Test
    void fillingWithinTheForegroundsBoxEqualsFillingTheWholeSlice() {
        java.util.Random random = new java.util.Random(20261203L);
        int rows = 24;
        int columns = 31;
        for (int trial = 0; trial < 2000; trial++) {
            byte[] slice = new byte[rows * columns];
            int shapes = 1 + random.nextInt(4);
            for (int s = 0; s < shapes; s++) {
                int r0 = random.nextInt(rows);
                int c0 = random.nextInt(columns);
                int r1 = Math.min(rows - 1, r0 + random.nextInt(rows));
                int c1 = Math.min(columns - 1, c0 + random.nextInt(columns));
                for (int r = r0; r <= r1; r++) {
                    for (int c = c0; c <= c1; c++) {
                        boolean ring = random.nextInt(3) == 0;
                        boolean edge = r == r0 || r == r1 || c == c0 || c == c1;
                        slice[r * columns + c] = (byte) (!ring || edge ? 1 : slice[r * columns + c]);
                    }
                }
            }
            for (int n = random.nextInt(rows * columns / 3); n > 0; n--) {
                slice[random.nextInt(slice.length)] = 0; // holes and notches, some open to the outside
            }
            byte[] expected = wholeSliceFill(slice, rows, columns);
            LiverPostprocessing.fillHoles(slice, rows, columns);
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, slice, "trial " + trial);
        }
    }

    /** The reference: background reached from the slice's border (4-connectivity) stays, the rest is foreground. */
    private static byte[] wholeSliceFill(byte[] slice, int rows, int columns) {
        boolean[] outside = new boolean[slice.length];
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        for (int p = 0; p < slice.length; p++) {
            int r = p / columns;
            int c = p % columns;
            if ((r == 0 || c == 0 || r == rows - 1 || c == columns - 1) && slice[p] == 0) {
                outside[p] = true;
                queue.add(p);
            }
        }
        while (!queue.isEmpty()) {
            int p = queue.poll();
            int r = p / columns;
            int c = p % columns;
            int[][] next = {{r - 1, c}, {r + 1, c}, {r, c - 1}, {r, c + 1}};
            for (int[] n : next) {
                if (n[0] >= 0 && n[0] < rows && n[1] >= 0 && n[1] < columns) {
                    int q = n[0] * columns + n[1];
                    if (slice[q] == 0 && !outside[q]) {
                        outside[q] = true;
                        queue.add(q);
                    }
                }
            }
        }
        byte[] filled = new byte[slice.length];
        for (int p = 0; p < slice.length; p++) {
            filled[p] = (byte) (outside[p] ? 0 : 1);
        }
        return filled;
    }

    @Test
    void emptyVolumeStaysEmpty() {
        byte[][] v = volume(3, 5, 5);
        assertEquals(0, LiverPostprocessing.apply(v, 5, 5));
    }
}
