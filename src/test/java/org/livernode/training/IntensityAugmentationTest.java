package org.livernode.training;

import org.junit.jupiter.api.Test;
import org.livernode.model.IntensityMapping;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntensityAugmentationTest {

    private static LabelledSlice slice(int size) {
        float[] hu = new float[size * size];
        byte[] mask = new byte[size * size];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (i * 7) % 300 - 20;
            mask[i] = (byte) ((i / size) < size / 2 ? 1 : 0);
        }
        return new LabelledSlice("a", size, size, hu, mask, 0.8, 0.8);
    }

    private static float[][] sample(IntensityAugmentation intensity, long seed) {
        SliceSampler sampler = new SliceSampler(32, IntensityMapping.litsSlices(), 0.1, 32, intensity);
        float[] x = new float[32 * 32];
        float[] y = new float[32 * 32];
        sampler.sampleAugmented(slice(32), x, y, 0, new Random(seed));
        return new float[][]{x, y};
    }

    @Test
    void offDrawsNothingSoARunWithoutItIsTheRunItWas() {
        SliceSampler plain = new SliceSampler(32, IntensityMapping.litsSlices(), 0.1, 32);
        float[] x = new float[32 * 32];
        float[] y = new float[32 * 32];
        Random random = new Random(7);
        plain.sampleAugmented(slice(32), x, y, 0, random);
        float[][] off = sample(IntensityAugmentation.NONE, 7);
        assertArrayEquals(x, off[0]);
        assertArrayEquals(y, off[1]);
    }

    @Test
    void changesTheImageNeverTheMaskAndRepeatsWithTheSeed() {
        float[][] plain = sample(IntensityAugmentation.NONE, 3);
        float[][] changed = sample(new IntensityAugmentation(1), 3);
        assertFalse(Arrays.equals(plain[0], changed[0]), "every change applied: the input differs");
        assertArrayEquals(plain[1], changed[1], "the mask is the same");
        assertArrayEquals(changed[0], sample(new IntensityAugmentation(1), 3)[0], "same seed, same sample");
    }

    @Test
    void huChangeActsBeforeTheWindowAndBlurKeepsAFlatImage() {
        IntensityAugmentation.HuChange change = new IntensityAugmentation.HuChange(1.1, -20);
        assertEquals(100 + 100 * 1.1 - 20, change.apply(200), 1e-4);
        float[] flat = new float[64];
        Arrays.fill(flat, 0.4f);
        IntensityAugmentation.blur(flat, 0, 8, 1.0);
        for (float v : flat) {
            assertEquals(0.4f, v, 1e-5f);
        }
        float[] spike = new float[81];
        spike[40] = 1;
        IntensityAugmentation.blur(spike, 0, 9, 0.8);
        double sum = 0;
        for (float v : spike) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-5, "blur keeps the total away from the edges");
        assertTrue(spike[40] < 0.5f && spike[41] > 0, "and spreads it");
        assertThrows(IllegalArgumentException.class, () -> new IntensityAugmentation(1.5));
    }
}
