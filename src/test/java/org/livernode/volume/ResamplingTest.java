package org.livernode.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ResamplingTest {

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * 300);
        }
        return a;
    }

    @Test
    void identityIsExact() {
        float[] a = random(37 * 23, 1);
        assertArrayEquals(a, Resampling.bilinear(a, 37, 23, 37, 23));
        byte[] m = new byte[37 * 23];
        m[5] = 1;
        m[400] = 1;
        assertArrayEquals(m, Resampling.nearest(m, 37, 23, 37, 23));
    }

    @Test
    void halvingAveragesTwoByTwoBlocks() {
        float[] a = random(8 * 6, 2);
        float[] half = Resampling.bilinear(a, 8, 6, 4, 3);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 3; c++) {
                float mean = (a[2 * r * 6 + 2 * c] + a[2 * r * 6 + 2 * c + 1] + a[(2 * r + 1) * 6 + 2 * c]
                        + a[(2 * r + 1) * 6 + 2 * c + 1]) / 4;
                assertEquals(mean, half[r * 3 + c], 1e-3);
            }
        }
    }

    @Test
    void linearRampStaysLinearInTheInterior() {
        int n = 16;
        float[] ramp = new float[n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                ramp[r * n + c] = 3 * c + 5 * r;
            }
        }
        float[] up = Resampling.bilinear(ramp, n, n, 2 * n, 2 * n);
        // Target pixel x lies at source (x + 0.5) / 2 - 0.5.
        for (int r = 1; r < 2 * n - 1; r++) {
            for (int c = 1; c < 2 * n - 1; c++) {
                double expected = 3 * ((c + 0.5) / 2 - 0.5) + 5 * ((r + 0.5) / 2 - 0.5);
                assertEquals(expected, up[r * 2 * n + c], 1e-4);
            }
        }
        float[] back = Resampling.bilinear(up, 2 * n, 2 * n, n, n);
        for (int r = 1; r < n - 1; r++) {
            for (int c = 1; c < n - 1; c++) {
                assertEquals(ramp[r * n + c], back[r * n + c], 1e-4, "up then down returns a linear image");
            }
        }
    }

    @Test
    void nearestReplicatesAndPicksWithoutBlending() {
        byte[] m = {0, 1, 1, 0};
        byte[] up = Resampling.nearest(m, 2, 2, 4, 4);
        assertArrayEquals(new byte[] {0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0}, up);
        assertArrayEquals(m, Resampling.nearest(up, 4, 4, 2, 2));
    }

    @Test
    void rejectsWrongSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Resampling.bilinear(new float[10], 3, 3, 2, 2));
        assertEquals("source length must be rows*columns = 9, found 10", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Resampling.nearest(new byte[4], 2, 2, 0, 2));
    }
}
