package org.livernode.segmentation;

import java.util.Arrays;

/**
 * Cleans a predicted liver mask the way a radiologist expects to see it: one organ, no holes.
 * Keeps the largest 3D connected component (6-connectivity; slice k and k+1 touch only where {@code touchesNext[k]},
 * so slices across a gap in the series are not neighbours) and fills holes slice by slice.
 * Works in place on one byte per voxel (0 or 1) so a 1000-slice series costs no extra full-size copies.
 */
public final class LiverPostprocessing {

    private static final byte BACKGROUND = 0;
    private static final byte FOREGROUND = 1;
    private static final byte VISITED = 2;
    private static final byte KEPT = 3;

    private LiverPostprocessing() {
    }

    /** Applies both steps to {@code slices} (each rows*columns, row-major) and returns the voxels kept. */
    public static long apply(byte[][] slices, int rows, int columns) {
        return apply(slices, rows, columns, allTouching(slices.length));
    }

    /** As {@link #apply(byte[][], int, int)}, with slice k joined to k+1 in 3D only where {@code touchesNext[k]}. */
    public static long apply(byte[][] slices, int rows, int columns, boolean[] touchesNext) {
        keepLargestComponent(slices, rows, columns, touchesNext);
        long count = 0;
        for (byte[] slice : slices) {
            fillHoles(slice, rows, columns);
            for (byte v : slice) {
                count += v;
            }
        }
        return count;
    }

    /** Keeps only the largest 6-connected foreground component; returns its size in voxels. */
    public static long keepLargestComponent(byte[][] slices, int rows, int columns) {
        return keepLargestComponent(slices, rows, columns, allTouching(slices.length));
    }

    private static boolean[] allTouching(int n) {
        boolean[] touches = new boolean[n];
        Arrays.fill(touches, true);
        return touches;
    }

    /** Keeps only the largest component, slices joined where {@code touchesNext}; returns its size in voxels. */
    public static long keepLargestComponent(byte[][] slices, int rows, int columns, boolean[] touchesNext) {
        checkShape(slices, rows, columns);
        if (touchesNext.length < slices.length) {
            throw new IllegalArgumentException("touchesNext has " + touchesNext.length + " entries, expected one per"
                    + " slice: " + slices.length);
        }
        IntQueue queue = new IntQueue();
        long bestSize = 0;
        int bestSeed = -1;
        int plane = rows * columns;
        for (int k = 0; k < slices.length; k++) {
            byte[] slice = slices[k];
            for (int p = 0; p < plane; p++) {
                if (slice[p] == FOREGROUND) {
                    int seed = k * plane + p;
                    long size = flood(slices, rows, columns, seed, FOREGROUND, VISITED, queue, touchesNext);
                    if (size > bestSize) {
                        bestSize = size;
                        bestSeed = seed;
                    }
                }
            }
        }
        if (bestSeed >= 0) {
            flood(slices, rows, columns, bestSeed, VISITED, KEPT, queue, touchesNext);
        }
        for (byte[] slice : slices) {
            for (int p = 0; p < plane; p++) {
                slice[p] = slice[p] == KEPT ? FOREGROUND : BACKGROUND;
            }
        }
        return bestSize;
    }

    /** Sets to foreground every background pixel not connected (4-connectivity) to the slice border. */
    public static void fillHoles(byte[] slice, int rows, int columns) {
        if (slice.length != rows * columns) {
            throw new IllegalArgumentException("slice has " + slice.length + " pixels, expected rows*columns = "
                    + rows * columns);
        }
        byte[][] single = {slice};
        IntQueue queue = new IntQueue();
        for (int c = 0; c < columns; c++) {
            markOutside(single, rows, columns, c, queue);
            markOutside(single, rows, columns, (rows - 1) * columns + c, queue);
        }
        for (int r = 0; r < rows; r++) {
            markOutside(single, rows, columns, r * columns, queue);
            markOutside(single, rows, columns, r * columns + columns - 1, queue);
        }
        for (int p = 0; p < slice.length; p++) {
            slice[p] = slice[p] == VISITED ? BACKGROUND : FOREGROUND;
        }
    }

    private static void markOutside(byte[][] single, int rows, int columns, int p, IntQueue queue) {
        if (single[0][p] == BACKGROUND) {
            flood(single, rows, columns, p, BACKGROUND, VISITED, queue, new boolean[1]);
        }
    }

    /** Breadth-first flood from {@code seed} over voxels equal to {@code from}, setting them to {@code to}. */
    private static long flood(byte[][] slices, int rows, int columns, int seed, byte from, byte to, IntQueue queue,
                              boolean[] touchesNext) {
        int plane = rows * columns;
        queue.clear();
        slices[seed / plane][seed % plane] = to;
        queue.add(seed);
        long size = 0;
        while (!queue.isEmpty()) {
            int v = queue.poll();
            size++;
            int k = v / plane;
            int p = v % plane;
            int r = p / columns;
            int c = p % columns;
            if (c > 0) visit(slices, k, p - 1, v - 1, from, to, queue);
            if (c < columns - 1) visit(slices, k, p + 1, v + 1, from, to, queue);
            if (r > 0) visit(slices, k, p - columns, v - columns, from, to, queue);
            if (r < rows - 1) visit(slices, k, p + columns, v + columns, from, to, queue);
            if (k > 0 && touchesNext[k - 1]) visit(slices, k - 1, p, v - plane, from, to, queue);
            if (k < slices.length - 1 && touchesNext[k]) visit(slices, k + 1, p, v + plane, from, to, queue);
        }
        return size;
    }

    private static void visit(byte[][] slices, int k, int p, int v, byte from, byte to, IntQueue queue) {
        if (slices[k][p] == from) {
            slices[k][p] = to;
            queue.add(v);
        }
    }

    private static void checkShape(byte[][] slices, int rows, int columns) {
        long voxels = (long) slices.length * rows * columns;
        if (voxels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("volume has " + voxels + " voxels; at most " + Integer.MAX_VALUE
                    + " are supported");
        }
        for (int k = 0; k < slices.length; k++) {
            if (slices[k].length != rows * columns) {
                throw new IllegalArgumentException("slice " + k + " has " + slices[k].length
                        + " pixels, expected rows*columns = " + rows * columns);
            }
        }
    }

    /** A growable FIFO of voxel indices, reused between floods. */
    private static final class IntQueue {
        private int[] items = new int[1 << 16];
        private int head;
        private int tail;

        void clear() {
            head = 0;
            tail = 0;
        }

        boolean isEmpty() {
            return head == tail;
        }

        void add(int value) {
            if (tail == items.length) {
                if (head > items.length / 2) {
                    System.arraycopy(items, head, items, 0, tail - head);
                    tail -= head;
                    head = 0;
                } else {
                    items = Arrays.copyOf(items, items.length * 2);
                }
            }
            items[tail++] = value;
        }

        int poll() {
            return items[head++];
        }
    }
}
