package org.livernode.training;

import org.junit.jupiter.api.Test;
import org.livernode.model.IntensityMapping;
import org.livernode.model.ModelArchitecture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingInputsTest {

    private static LabelledSlice slice(String caseId, int size) {
        float[] hu = new float[size * size];
        byte[] mask = new byte[size * size];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = i % 300 - 20;
            mask[i] = (byte) ((i / size) < size / 2 && (i % size) < size / 4 ? 1 : 0);
        }
        return new LabelledSlice(caseId, size, size, hu, mask, 0.8, 0.8);
    }

    @Test
    void unaugmentedSampleIsTheMappedSlice() {
        LabelledSlice s = slice("a", 16);
        float[] x = new float[256];
        float[] y = new float[256];
        new SliceSampler(16, IntensityMapping.litsSlices(), 0).sample(s, x, y, 0);
        for (int i = 0; i < 256; i++) {
            assertEquals(Math.min(255, Math.max(0, s.hu()[i])) / 255f, x[i], 1e-6f, "pixel " + i);
            assertEquals(s.liverMask()[i], (byte) y[i], "pixel " + i);
        }
    }

    @Test
    void everyTransformKeepsImageAndMaskAligned() {
        LabelledSlice s = slice("a", 16);
        SliceSampler sampler = new SliceSampler(16, IntensityMapping.litsSlices(), 0);
        float[] x0 = new float[256];
        float[] y0 = new float[256];
        sampler.sample(s, x0, y0, 0);
        for (int t = 0; t < 8; t++) {
            float[] x = new float[256];
            float[] y = new float[256];
            sampler.sample(s, x, y, 0, t, 1.0, 0, 0, 16);
            float[] xs = x.clone();
            float[] x0s = x0.clone();
            java.util.Arrays.sort(xs);
            java.util.Arrays.sort(x0s);
            assertArrayEquals(x0s, xs, 1e-6f, "transform " + t + " must permute pixels");
            for (int i = 0; i < 256; i++) {
                // the mask moves with the image: each liver pixel keeps its grey value
                int j = find(x0, x[i]);
                if (j >= 0 && unique(x0, x[i])) {
                    assertEquals(y0[j], y[i], "transform " + t + " pixel " + i);
                }
            }
        }
    }

    private static int find(float[] a, float v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static boolean unique(float[] a, float v) {
        int n = 0;
        for (float f : a) {
            n += f == v ? 1 : 0;
        }
        return n == 1;
    }

    @Test
    void cropIsTheRightWindowOfTheFrame() {
        LabelledSlice s = slice("a", 16);
        SliceSampler sampler = new SliceSampler(16, IntensityMapping.litsSlices(), 0, 8);
        float[] full = new float[256];
        sampler.sample(s, full, new float[256], 0);
        float[] crop = new float[64];
        sampler.sample(s, crop, new float[64], 0, 0, 1.0, 4, 6, 8);
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 8; c++) {
                assertEquals(full[(r + 4) * 16 + c + 6], crop[r * 8 + c], 1e-6f);
            }
        }
        float[] random = new float[64];
        sampler.sampleAugmented(s, random, new float[64], 0, new Random(1));
    }

    @Test
    void splitKeepsEachCaseOnOneSide() {
        List<LabelledSlice> slices = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            for (int k = 0; k < 3; k++) {
                slices.add(slice("case-" + c, 4));
            }
        }
        CaseSplit split = CaseSplit.of(slices, 42, 0.8);
        assertEquals(8, split.trainCases().size());
        assertEquals(2, split.validationCases().size());
        assertEquals(24, split.train().size());
        assertTrue(split.validationCases().stream().noneMatch(new HashSet<>(split.trainCases())::contains));
        assertEquals(split.validationCases(), CaseSplit.of(slices, 42, 0.8).validationCases());
    }

    @Test
    void badDataSpecsAndOptionsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("nifti:/x"));
        assertTrue(e.getMessage().contains("lits-slices") && e.getMessage().contains("nifti"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("/just/a/path"));
        assertTrue(e.getMessage().contains("scheme:argument"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder()
                .setArchitecture(ModelArchitecture.easUnet(16)).setOutput(Path.of("x")).optCropSize(100).build());
        assertTrue(e.getMessage().contains("100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder()
                .setArchitecture(ModelArchitecture.easUnet(16)).setOutput(Path.of("x")).optBatchSize(0).build());
        assertTrue(e.getMessage().contains("batch size"), e.getMessage());
        assertEquals(0, TrainingOptions.builder().setArchitecture(ModelArchitecture.unet(16)).setOutput(Path.of("x"))
                .optEpochs(1).build().warmupEpochs(), "a single epoch has no warm-up");
    }

    @Test
    void scheduleWarmsUpThenDecays() {
        LearningRateSchedule cosine = new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 0.1f, 110, 10, 0f);
        assertEquals(0.1f / 11, cosine.getNewValue(1), 1e-7f);
        assertEquals(0.1f, cosine.getNewValue(11), 1e-6f);
        assertEquals(0.05f, cosine.getNewValue(61), 1e-6f);
        assertEquals(0f, cosine.getNewValue(111), 1e-6f);
        cosine.setOffset(50);
        assertEquals(0.05f, cosine.getNewValue(11), 1e-6f, "a resumed run continues the schedule");
    }
}
