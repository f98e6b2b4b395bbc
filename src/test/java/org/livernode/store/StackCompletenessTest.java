package org.livernode.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule that lets a released series complete without the quiet period, one case per clause. */
class StackCompletenessTest {

    private static final int MIN_SLICES = 10;

    @Test
    void evenlySpacedStackInAnyOrderIsWhole() {
        List<Instance> stack = stack(12, 2.5, List.of());
        java.util.Collections.reverse(stack);
        assertEquals("12 images in a gap-free stack", StackCompleteness.wholeNow(stack, MIN_SLICES).orElseThrow());
    }

    @Test
    void aTiltedStackIsStillOneLine() {
        List<Instance> tilted = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            tilted.add(instance(String.format("-100\\%.3f\\%.3f", -50 + k * 0.9, k * 2.5), null));
        }
        assertTrue(StackCompleteness.wholeNow(tilted, MIN_SLICES).isPresent());
    }

    @Test
    void aGapWaits() {
        assertTrue(StackCompleteness.wholeNow(stack(14, 2.5, List.of(6, 7)), MIN_SLICES).isEmpty(),
                "two missing slices in the middle: a step of 3 times the spacing");
    }

    @Test
    void twoImagesAtOnePlaceWait() {
        List<Instance> doubled = stack(12, 2.5, List.of());
        doubled.add(instance(doubled.get(3).imagePosition, null));
        assertTrue(StackCompleteness.wholeNow(doubled, MIN_SLICES).isEmpty());
    }

    @Test
    void anImageOffTheLineWaits() {
        List<Instance> withLocalizer = stack(12, 2.5, List.of());
        withLocalizer.add(instance("-250\\0\\10", null));
        assertTrue(StackCompleteness.wholeNow(withLocalizer, MIN_SLICES).isEmpty());
    }

    @Test
    void fewerThanTheSelectionsMinimumWait() {
        assertTrue(StackCompleteness.wholeNow(stack(MIN_SLICES - 1, 2.5, List.of()), MIN_SLICES).isEmpty());
    }

    @Test
    void imagesInAcquisitionDecidesWhenGiven() {
        List<Instance> stated = stack(12, 2.5, List.of());
        stated.forEach(i -> i.imagesInAcquisition = 13);
        assertTrue(StackCompleteness.wholeNow(stated, MIN_SLICES).isEmpty(), "gap-free, but the sender said 13");
        stated.add(instance("0\\0\\" + 12 * 2.5, 13));
        assertEquals("13 images, Images in Acquisition (0020,1002) 13",
                StackCompleteness.wholeNow(stated, MIN_SLICES).orElseThrow());
    }

    @Test
    void anInstanceWithoutPositionWaits() {
        List<Instance> withSr = stack(12, 2.5, List.of());
        withSr.add(instance(null, null));
        assertTrue(StackCompleteness.wholeNow(withSr, MIN_SLICES).isEmpty());
    }

    private static List<Instance> stack(int count, double spacing, List<Integer> missing) {
        List<Instance> list = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            if (!missing.contains(k)) {
                list.add(instance("-100\\-50\\" + (-200 + k * spacing), null));
            }
        }
        return list;
    }

    private static Instance instance(String position, Integer imagesInAcquisition) {
        Instance i = new Instance();
        i.imagePosition = position;
        i.imagesInAcquisition = imagesInAcquisition;
        return i;
    }
}
