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
        Box[] boxes = keepLargest(slices, rows, columns, touchesNext).boxes();
        long count = 0;
        IntQueue queue = new IntQueue();
        for (int k = 0; k < slices.length; k++) {
            Box box = boxes[k] == null ? null : foregroundBox(slices[k], columns, boxes[k]);
            if (box != null) {
                fillHoles(slices[k], rows, columns, box, queue);
                count += box.count(slices[k]);
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
        return keepLargest(slices, rows, columns, touchesNext).voxels();
    }

    /** What {@link #keepLargest} kept: its size, and per slice the box its foreground had before (null: none). */
    private record Kept(Box[] boxes, long voxels) {
    }

    /**
     * Keeps the largest component. Every pass after the first scan stays inside the slices' foreground boxes: most
     * slices of a long series hold no liver at all.
     */
    private static Kept keepLargest(byte[][] slices, int rows, int columns, boolean[] touchesNext) {
        checkShape(slices, rows, columns);
        if (touchesNext.length < slices.length) {
            throw new IllegalArgumentException("touchesNext has " + touchesNext.length + " entries, expected one per"
                    + " slice: " + slices.length);
        }
        IntQueue queue = new IntQueue();
        long bestSize = 0;
        int bestSeed = -1;
        int plane = rows * columns;
        Box whole = new Box(columns, 0, rows - 1, 0, columns - 1);
        Box[] boxes = new Box[slices.length];
        for (int k = 0; k < slices.length; k++) {
            boxes[k] = foregroundBox(slices[k], columns, whole);
        }
        for (int k = 0; k < slices.length; k++) {
            Box box = boxes[k];
            byte[] slice = slices[k];
            for (int r = box == null ? 0 : box.top(); box != null && r <= box.bottom(); r++) {
                for (int p = r * columns + box.left(); p <= r * columns + box.right(); p++) {
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
        }
        if (bestSeed >= 0) {
            flood(slices, rows, columns, bestSeed, VISITED, KEPT, queue, touchesNext);
        }
        for (int k = 0; k < slices.length; k++) {
            Box box = boxes[k];
            byte[] slice = slices[k];
            for (int r = box == null ? 0 : box.top(); box != null && r <= box.bottom(); r++) {
                for (int p = r * columns + box.left(); p <= r * columns + box.right(); p++) {
                    slice[p] = slice[p] == KEPT ? FOREGROUND : BACKGROUND;
                }
            }
        }
        return new Kept(boxes, bestSize);
    }

    /** The box around the foreground of {@code slice} within {@code within}, or null when there is none. */
    private static Box foregroundBox(byte[] slice, int columns, Box within) {
        int width = within.right() - within.left() + 1;
        byte[] background = new byte[width];
        int top = -1;
        int bottom = -1;
        int left = Integer.MAX_VALUE;
        int right = -1;
        for (int r = within.top(); r <= within.bottom(); r++) {
            int from = r * columns + within.left();
            // Arrays.mismatch compares many bytes a step (a JIT intrinsic): an empty row costs next to nothing
            int first = Arrays.mismatch(slice, from, from + width, background, 0, width);
            if (first < 0) {
                continue;
            }
            int last = width - 1;
            while (slice[from + last] == BACKGROUND) {
                last--;
            }
            top = top < 0 ? r : top;
            bottom = r;
            left = Math.min(left, within.left() + first);
            right = Math.max(right, within.left() + last);
        }
        return top < 0 ? null : new Box(columns, top, bottom, left, right);
    }

    /**
     * Sets to foreground every background pixel not connected (4-connectivity) to the slice border. Only the box
     * around the slice's foreground, grown by one pixel, is flooded: a hole lies inside that box, and everything
     * outside it is background joined to the border, so the box's own border stands for the slice's. Most of a
     * long series is background (a slice without liver costs one scan), which made this step the larger part of
     * the time after the last slice (issue 13).
     */
    public static void fillHoles(byte[] slice, int rows, int columns) {
        if (slice.length != rows * columns) {
            throw new IllegalArgumentException("slice has " + slice.length + " pixels, expected rows*columns = "
                    + rows * columns);
        }
        Box box = foregroundBox(slice, columns, new Box(columns, 0, rows - 1, 0, columns - 1));
        if (box != null) {
            fillHoles(slice, rows, columns, box, new IntQueue());
        }
    }

    /** Fills the holes of a slice whose foreground lies inside {@code foreground}. */
    private static void fillHoles(byte[] slice, int rows, int columns, Box foreground, IntQueue queue) {
        int top = Math.max(0, foreground.top() - 1);
        int bottom = Math.min(rows - 1, foreground.bottom() + 1);
        int left = Math.max(0, foreground.left() - 1);
        int right = Math.min(columns - 1, foreground.right() + 1);
        Box box = new Box(columns, top, bottom, left, right);
        for (int c = left; c <= right; c++) {
            markOutside(slice, box, top * columns + c, queue);
            markOutside(slice, box, bottom * columns + c, queue);
        }
        for (int r = top; r <= bottom; r++) {
            markOutside(slice, box, r * columns + left, queue);
            markOutside(slice, box, r * columns + right, queue);
        }
        for (int r = top; r <= bottom; r++) {
            for (int p = r * columns + left; p <= r * columns + right; p++) {
                slice[p] = slice[p] == VISITED ? BACKGROUND : FOREGROUND;
            }
        }
    }

    /** Rows top..bottom and columns left..right (inclusive) of a slice {@code columns} wide. */
    private record Box(int columns, int top, int bottom, int left, int right) {
        /** The foreground voxels of {@code slice} inside the box. */
        long count(byte[] slice) {
            long n = 0;
            for (int r = top; r <= bottom; r++) {
                for (int p = r * columns + left; p <= r * columns + right; p++) {
                    n += slice[p];
                }
            }
            return n;
        }
    }

    /** Floods background from {@code seed} within the box (4-connectivity), marking it VISITED. */
    private static void markOutside(byte[] slice, Box box, int seed, IntQueue queue) {
        if (slice[seed] != BACKGROUND) {
            return;
        }
        int columns = box.columns();
        queue.clear();
        slice[seed] = VISITED;
        queue.add(seed);
        while (!queue.isEmpty()) {
            int p = queue.poll();
            int r = p / columns;
            int c = p - r * columns;
            if (c > box.left()) markBackground(slice, p - 1, queue);
            if (c < box.right()) markBackground(slice, p + 1, queue);
            if (r > box.top()) markBackground(slice, p - columns, queue);
            if (r < box.bottom()) markBackground(slice, p + columns, queue);
        }
    }

    private static void markBackground(byte[] slice, int p, IntQueue queue) {
        if (slice[p] == BACKGROUND) {
            slice[p] = VISITED;
            queue.add(p);
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
            int p = v - k * plane;
            int r = p / columns;
            int c = p - r * columns;
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
