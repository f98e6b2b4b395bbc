package org.livernode.training;

import org.livernode.model.IntensityMapping;

import java.util.List;
import java.util.Random;

/**
 * Turns a {@link LabelledSlice} into network input and target at the model's input size: intensity mapping,
 * resize to size x size (bilinear image, nearest mask), and, for training, one of the 8 flips/90-degree
 * rotations (the node feeds DICOM-oriented slices, the data are in NIfTI orientation), an optional random
 * zoom of +-scaleJitter about the centre and optional {@link IntensityAugmentation}.
 */
public final class SliceSampler {

    private final int size;
    private final IntensityMapping mapping;
    private final double scaleJitter;

    private final int cropSize;
    private final IntensityAugmentation intensity;

    public SliceSampler(int size, IntensityMapping mapping, double scaleJitter) {
        this(size, mapping, scaleJitter, size, IntensityAugmentation.NONE);
    }

    /** @param cropSize side of the random training crop taken from the size x size frame (= size: no crop) */
    public SliceSampler(int size, IntensityMapping mapping, double scaleJitter, int cropSize) {
        this(size, mapping, scaleJitter, cropSize, IntensityAugmentation.NONE);
    }

    public SliceSampler(int size, IntensityMapping mapping, double scaleJitter, int cropSize,
                        IntensityAugmentation intensity) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be > 0, found " + size);
        }
        if (!(scaleJitter >= 0 && scaleJitter < 0.5)) {
            throw new IllegalArgumentException("scaleJitter must be in [0, 0.5), found " + scaleJitter);
        }
        if (cropSize < 1 || cropSize > size) {
            throw new IllegalArgumentException("cropSize must be in [1, " + size + "], found " + cropSize);
        }
        this.cropSize = cropSize;
        this.size = size;
        this.mapping = mapping;
        this.scaleJitter = scaleJitter;
        this.intensity = intensity;
    }

    public int cropSize() {
        return cropSize;
    }

    /** Unaugmented sample of the whole size x size frame (validation, evaluation). */
    public void sample(LabelledSlice s, float[] input, float[] target, int offset) {
        sample(s, input, target, offset, 0, 1.0, 0, 0, size, IntensityAugmentation.HuChange.IDENTITY);
    }

    /**
     * Slices {@code start} to {@code start + n - 1} of {@code order}, each augmented ({@link #sampleAugmented}) in
     * that order: one batch, {inputs, targets}, n cropSize x cropSize samples each.
     */
    public float[][] augmentedBatch(List<LabelledSlice> order, int start, int n, Random random) {
        int pixels = cropSize * cropSize;
        float[] x = new float[n * pixels];
        float[] y = new float[n * pixels];
        for (int k = 0; k < n; k++) {
            sampleAugmented(order.get(start + k), x, y, k * pixels, random);
        }
        return new float[][] {x, y};
    }

    /** Random dihedral transform, zoom, crop position and intensity change: a cropSize x cropSize sample. */
    public void sampleAugmented(LabelledSlice s, float[] input, float[] target, int offset, Random random) {
        double scale = scaleJitter > 0 ? 1 + (2 * random.nextDouble() - 1) * scaleJitter : 1.0;
        int transform = random.nextInt(8);
        int top = random.nextInt(size - cropSize + 1);
        int left = random.nextInt(size - cropSize + 1);
        IntensityAugmentation.HuChange huChange = intensity.drawHuChange(random);
        sample(s, input, target, offset, transform, scale, top, left, cropSize, huChange);
        intensity.applyToMapped(input, offset, cropSize, random);
    }

    /** @param transform bit 0 transpose, bit 1 flip rows, bit 2 flip columns (as {@code Inference}) */
    void sample(LabelledSlice s, float[] input, float[] target, int offset, int transform, double scale,
                int top, int left, int side) {
        sample(s, input, target, offset, transform, scale, top, left, side, IntensityAugmentation.HuChange.IDENTITY);
    }

    private void sample(LabelledSlice s, float[] input, float[] target, int offset, int transform, double scale,
                int top, int left, int side, IntensityAugmentation.HuChange huChange) {
        double rowStep = (double) s.rows() / size / scale;
        double colStep = (double) s.columns() / size / scale;
        double half = (size - 1) / 2.0;
        for (int r = top; r < top + side; r++) {
            for (int c = left; c < left + side; c++) {
                // undo the transform: output (r, c) shows the transformed-space pixel (rr, cc)
                int rr = (transform & 2) != 0 ? size - 1 - r : r;
                int cc = (transform & 4) != 0 ? size - 1 - c : c;
                if ((transform & 1) != 0) {
                    int t = rr;
                    rr = cc;
                    cc = t;
                }
                double sr = (s.rows() - 1) / 2.0 + (rr - half) * rowStep;
                double sc = (s.columns() - 1) / 2.0 + (cc - half) * colStep;
                int i = offset + (r - top) * side + (c - left);
                input[i] = mapping.apply(huChange.apply(bilinear(s, sr, sc)));
                int nr = (int) Math.round(sr);
                int nc = (int) Math.round(sc);
                boolean inside = nr >= 0 && nr < s.rows() && nc >= 0 && nc < s.columns();
                target[i] = inside && s.liverMask()[nr * s.columns() + nc] != 0 ? 1f : 0f;
            }
        }
    }

    /** Bilinear HU at (row, col); outside the slice the lowest HU of the mapping's window (air). */
    private float bilinear(LabelledSlice s, double row, double col) {
        if (row < -0.5 || col < -0.5 || row > s.rows() - 0.5 || col > s.columns() - 0.5) {
            return (float) mapping.windowLowHu();
        }
        int r0 = (int) Math.floor(row);
        int c0 = (int) Math.floor(col);
        double fr = row - r0;
        double fc = col - c0;
        return (float) ((1 - fr) * ((1 - fc) * hu(s, r0, c0) + fc * hu(s, r0, c0 + 1))
                + fr * ((1 - fc) * hu(s, r0 + 1, c0) + fc * hu(s, r0 + 1, c0 + 1)));
    }

    private static float hu(LabelledSlice s, int r, int c) {
        int rr = Math.max(0, Math.min(s.rows() - 1, r));
        int cc = Math.max(0, Math.min(s.columns() - 1, c));
        return s.hu()[rr * s.columns() + cc];
    }
}
