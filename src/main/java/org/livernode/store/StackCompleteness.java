package org.livernode.store;

import org.livernode.volume.SlicePositions;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Whether the instances of a series, as the index holds them, are already the whole series, so it need not wait
 * out the quiet period (README "Series completion"). When the sender gives Images in Acquisition (0020,1002) the
 * series is whole once that many images arrived, and not before; otherwise when the images' positions form one
 * line with no gap (every step {@link SlicePositions#touching}, the reader's own gap rule)
 * and no two at one place. What it cannot see is a slice missing at either end of the stack: that slice arriving
 * later makes a new job whose SEG supersedes the first.
 */
final class StackCompleteness {

    /** A position this far (mm) off the line of the stack is not of the stack (a localizer, another orientation). */
    private static final double OFF_LINE_MM = 1.0;

    private StackCompleteness() {
    }

    /** Why the series is whole now, or empty when it must wait for the quiet period. */
    static Optional<String> wholeNow(List<Instance> instances, int minSlices) {
        Integer stated = instances.stream().map(i -> i.imagesInAcquisition).filter(n -> n != null && n > 0)
                .max(Integer::compare).orElse(null);
        if (stated != null) {
            return instances.size() >= stated
                    ? Optional.of(instances.size() + " images, Images in Acquisition (0020,1002) " + stated)
                    : Optional.empty();
        }
        if (instances.size() < Math.max(2, minSlices)) {
            return Optional.empty();
        }
        double[][] p = new double[instances.size()][];
        for (int k = 0; k < p.length; k++) {
            p[k] = position(instances.get(k).imagePosition);
            if (p[k] == null) {
                return Optional.empty(); // a multi-frame or non-image instance: its frames are not in the index
            }
        }
        double[] a = p[farthestFrom(p, p[0])];
        double[] b = p[farthestFrom(p, a)];
        double[] axis = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
        double length = Math.sqrt(dot(axis, axis));
        if (length < SlicePositions.SAME_POSITION_MM) {
            return Optional.empty();
        }
        double[] along = new double[p.length];
        for (int k = 0; k < p.length; k++) {
            double[] d = {p[k][0] - a[0], p[k][1] - a[1], p[k][2] - a[2]};
            along[k] = dot(d, axis) / length;
            if (Math.sqrt(Math.max(0, dot(d, d) - along[k] * along[k])) > OFF_LINE_MM) {
                return Optional.empty();
            }
        }
        Arrays.sort(along);
        double[] steps = new double[p.length - 1];
        for (int k = 0; k < steps.length; k++) {
            steps[k] = along[k + 1] - along[k];
            if (steps[k] < SlicePositions.SAME_POSITION_MM) {
                return Optional.empty(); // two images at one place: several acquisitions, the quiet period decides
            }
        }
        double median = SlicePositions.medianStep(steps);
        return Arrays.stream(steps).allMatch(step -> SlicePositions.touching(step, median))
                ? Optional.of(p.length + " images in a gap-free stack")
                : Optional.empty();
    }

    private static int farthestFrom(double[][] p, double[] from) {
        int best = 0;
        double bestDistance = -1;
        for (int k = 0; k < p.length; k++) {
            double[] d = {p[k][0] - from[0], p[k][1] - from[1], p[k][2] - from[2]};
            double distance = dot(d, d);
            if (distance > bestDistance) {
                bestDistance = distance;
                best = k;
            }
        }
        return best;
    }

    private static double dot(double[] u, double[] v) {
        return u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
    }

    /** Image Position (Patient) as the index keeps it ({@code x\y\z}), or null when absent or not three numbers. */
    private static double[] position(String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split("\\\\");
        if (parts.length != 3) {
            return null;
        }
        try {
            double[] p = {Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()),
                    Double.parseDouble(parts[2].trim())};
            return Double.isFinite(p[0] + p[1] + p[2]) ? p : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
