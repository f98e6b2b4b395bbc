package org.livernode.training;

import java.util.Random;

/**
 * Random intensity changes of a training sample, because scanners, reconstruction kernels and contrast phases
 * differ while the 643 LiTS slices come from a few: each of four changes is applied with {@code probability},
 * drawn from the run's seeded generator (so a run stays repeatable):
 * <ul>
 *   <li>HU calibration and contrast: HU scaled by 0.9..1.1 about {@value #PIVOT_HU} HU (soft tissue) and shifted by
 *       up to +-{@value #MAX_SHIFT_HU} HU, before the card's window, so what is clipped changes as on a scanner;</li>
 *   <li>gamma 0.7..1.5 of the mapped [0, 1] input;</li>
 *   <li>Gaussian noise, sigma up to {@value #MAX_NOISE} of the mapped range;</li>
 *   <li>Gaussian blur, sigma 0.5..1.0 pixel (a softer kernel).</li>
 * </ul>
 * Probability 0 draws nothing, so a run without it is the run it was before.
 */
public record IntensityAugmentation(double probability) {

    public static final IntensityAugmentation NONE = new IntensityAugmentation(0);
    static final double PIVOT_HU = 100;
    static final double MAX_SHIFT_HU = 20;
    static final double MAX_NOISE = 0.03;

    public IntensityAugmentation {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("intensity augmentation probability must be in [0, 1], found " + probability);
        }
    }

    /** The HU change of one sample (identity when not drawn). */
    public record HuChange(double scale, double shiftHu) {
        static final HuChange IDENTITY = new HuChange(1, 0);

        float apply(float hu) {
            return (float) (PIVOT_HU + (hu - PIVOT_HU) * scale + shiftHu);
        }
    }

    public boolean enabled() {
        return probability > 0;
    }

    HuChange drawHuChange(Random random) {
        if (!enabled() || random.nextDouble() >= probability) {
            return HuChange.IDENTITY;
        }
        return new HuChange(0.9 + 0.2 * random.nextDouble(), (2 * random.nextDouble() - 1) * MAX_SHIFT_HU);
    }

    /** Gamma, noise and blur on one side x side sample of mapped input at {@code offset}. */
    void applyToMapped(float[] input, int offset, int side, Random random) {
        if (!enabled()) {
            return;
        }
        int n = side * side;
        if (random.nextDouble() < probability) {
            double gamma = 0.7 + 0.8 * random.nextDouble();
            for (int i = offset; i < offset + n; i++) {
                input[i] = (float) Math.pow(Math.max(0f, Math.min(1f, input[i])), gamma);
            }
        }
        if (random.nextDouble() < probability) {
            double sigma = MAX_NOISE * random.nextDouble();
            for (int i = offset; i < offset + n; i++) {
                input[i] += (float) (sigma * random.nextGaussian());
            }
        }
        if (random.nextDouble() < probability) {
            blur(input, offset, side, 0.5 + 0.5 * random.nextDouble());
        }
    }

    /** Separable Gaussian blur in place, edges clamped. */
    static void blur(float[] image, int offset, int side, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = (float) Math.exp(-k * k / (2 * sigma * sigma));
            sum += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= (float) sum;
        }
        float[] line = new float[side];
        for (int pass = 0; pass < 2; pass++) {
            boolean rows = pass == 0;
            for (int a = 0; a < side; a++) {
                for (int b = 0; b < side; b++) {
                    line[b] = image[offset + (rows ? a * side + b : b * side + a)];
                }
                for (int b = 0; b < side; b++) {
                    float v = 0;
                    for (int k = -radius; k <= radius; k++) {
                        v += kernel[k + radius] * line[Math.max(0, Math.min(side - 1, b + k))];
                    }
                    image[offset + (rows ? a * side + b : b * side + a)] = v;
                }
            }
        }
    }
}
