package org.livernode.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.TagFromName;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the sorted slices of a series lie along the slice normal, and what that means for the 3D steps: which
 * neighbours touch (a gap of more than {@link #GAP_FACTOR} times the median spacing separates them), and the
 * thickness each slice stands for in a volume (half the distance to each touching neighbour; the median spacing
 * for a slice with none). Gaps and uneven spacing are noted, never refused.
 */
public final class SlicePositions {

    /** Slices whose positions along the normal differ by less than this are at the same position. */
    public static final double SAME_POSITION_MM = 0.01;
    /** A step of more than this many median spacings is a gap: missing slices, not neighbours in 3D. */
    public static final double GAP_FACTOR = 1.5;
    /** Steps that differ from the median by more than this fraction are noted as uneven spacing. */
    private static final double UNEVEN = 0.01;

    private final double[] alongNormal;
    private final boolean[] touchesNext;
    private final double[] thickness;
    private final double nominalSpacing;

    private SlicePositions(double[] alongNormal, boolean[] touchesNext, double[] thickness, double nominalSpacing) {
        this.alongNormal = alongNormal;
        this.touchesNext = touchesNext;
        this.thickness = thickness;
        this.nominalSpacing = nominalSpacing;
    }

    double alongNormal(int k) {
        return alongNormal[k];
    }

    boolean touchesNext(int k) {
        return touchesNext[k];
    }

    double thickness(int k) {
        return thickness[k];
    }

    double nominalSpacing() {
        return nominalSpacing;
    }

    /** The spacing a gap is measured against: the median of the steps between neighbours (at least one). */
    public static double medianStep(double[] steps) {
        double[] ordered = steps.clone();
        Arrays.sort(ordered);
        return ordered[ordered.length / 2];
    }

    /** Whether two neighbours this far apart touch: the spacing, not a gap of missing slices. */
    public static boolean touching(double step, double medianStep) {
        return step <= GAP_FACTOR * medianStep;
    }

    static SlicePositions of(List<SliceHeader> sorted, double[] normal, double nominalThickness, List<String> notes) {
        int n = sorted.size();
        double[] along = new double[n];
        for (int k = 0; k < n; k++) {
            along[k] = VolumeGeometry.dot(sorted.get(k).position, normal);
        }
        if (n == 1) {
            if (!(nominalThickness > 0)) {
                // after duplicates were left out, say so: "single slice" of a 4-file series needs the why
                String left = notes.stream().filter(note -> note.startsWith("duplicate slice positions")).findFirst()
                        .map(note -> " (" + note + ")").orElse("");
                throw new VolumeException("rule 'a single-slice series states Slice Thickness or Spacing Between Slices' "
                        + "failed for " + sorted.get(0).where() + ": neither is present and positive" + left);
            }
            return new SlicePositions(along, new boolean[1], new double[] {nominalThickness}, nominalThickness);
        }
        double[] steps = new double[n - 1];
        for (int k = 0; k + 1 < n; k++) {
            steps[k] = along[k + 1] - along[k];
        }
        double[] ordered = steps.clone();
        Arrays.sort(ordered);
        double median = medianStep(steps);
        boolean[] touches = new boolean[n];
        boolean uneven = false;
        for (int k = 0; k + 1 < n; k++) {
            touches[k] = touching(steps[k], median);
            if (!touches[k]) {
                long missing = Math.max(1, Math.round(steps[k] / median) - 1);
                notes.add(String.format(Locale.ROOT, "gap of %.2f mm (about %d missing slice(s) at the usual spacing of "
                        + "%.2f mm) between %s and %s: segmented on both sides, not joined in 3D, the gap not counted "
                        + "in the volume", steps[k], missing, median, sorted.get(k).where(), sorted.get(k + 1).where()));
            } else if (Math.abs(steps[k] - median) > UNEVEN * median) {
                uneven = true;
            }
        }
        if (uneven) {
            notes.add(String.format(Locale.ROOT, "uneven slice spacing: %.2f to %.2f mm between neighbours (median %.2f"
                    + " mm); the volume uses each slice's own spacing", ordered[0],
                    Arrays.stream(steps).filter(s -> touching(s, median)).max().orElse(median), median));
        }
        double[] thickness = new double[n];
        for (int k = 0; k < n; k++) {
            double sum = 0;
            int count = 0;
            if (k > 0 && touches[k - 1]) {
                sum += steps[k - 1];
                count++;
            }
            if (k + 1 < n && touches[k]) {
                sum += steps[k];
                count++;
            }
            thickness[k] = count == 0 ? median : sum / count;
        }
        return new SlicePositions(along, touches, thickness, median);
    }

    /**
     * The rule for slices at the same position (two acquisitions in one series, or a slice sent twice under two
     * UIDs): when the series holds several Acquisition Numbers, the acquisition with the most slices is kept (on a
     * tie, the first in Acquisition Number order); any position still holding two slices keeps the one with the
     * lowest Instance Number (then SOP Instance UID). What was left out is noted.
     */
    static List<SliceHeader> oneSlicePerPosition(List<SliceHeader> sorted, double[] normal, List<String> notes) {
        if (!hasDuplicates(sorted, normal)) {
            return sorted;
        }
        List<SliceHeader> kept = sorted;
        Map<String, List<SliceHeader>> byAcquisition = new LinkedHashMap<>();
        sorted.stream().sorted(Comparator.comparing(SlicePositions::acquisitionKey))
                .forEach(s -> byAcquisition.computeIfAbsent(acquisition(s), a -> new ArrayList<>()).add(s));
        if (byAcquisition.size() > 1) {
            String chosen = byAcquisition.entrySet().stream()
                    .max(Comparator.<Map.Entry<String, List<SliceHeader>>>comparingInt(e -> e.getValue().size())
                            .thenComparing(e -> -byAcquisitionRank(byAcquisition, e.getKey())))
                    .orElseThrow().getKey();
            kept = sorted.stream().filter(s -> acquisition(s).equals(chosen)).toList();
            notes.add("duplicate slice positions: the series holds " + byAcquisition.size() + " acquisitions ("
                    + "Acquisition Number " + String.join(", ", byAcquisition.keySet()) + "); kept acquisition "
                    + chosen + " (" + kept.size() + " slices), left out " + (sorted.size() - kept.size()) + " slices");
        }
        List<SliceHeader> unique = new ArrayList<>(kept.size());
        int dropped = 0;
        String example = null;
        for (int k = 0; k < kept.size(); ) {
            int end = k + 1;
            double at = VolumeGeometry.dot(kept.get(k).position, normal);
            while (end < kept.size() && VolumeGeometry.dot(kept.get(end).position, normal) - at < SAME_POSITION_MM) {
                end++;
            }
            List<SliceHeader> same = new ArrayList<>(kept.subList(k, end));
            same.sort(Comparator.comparingInt(SlicePositions::instanceNumber)
                    .thenComparing(s -> s.sopInstanceUid).thenComparingInt(s -> s.frame));
            unique.add(same.get(0));
            if (same.size() > 1) {
                dropped += same.size() - 1;
                example = example != null ? example : same.get(1).where() + " (same position as " + same.get(0).where() + ")";
            }
            k = end;
        }
        if (dropped > 0) {
            notes.add("duplicate slice positions: " + dropped + " slice(s) left out, the lowest Instance Number kept at"
                    + " each position, e.g. " + example);
        }
        return unique;
    }

    private static boolean hasDuplicates(List<SliceHeader> sorted, double[] normal) {
        for (int k = 0; k + 1 < sorted.size(); k++) {
            if (VolumeGeometry.dot(sorted.get(k + 1).position, normal) - VolumeGeometry.dot(sorted.get(k).position, normal)
                    < SAME_POSITION_MM) {
                return true;
            }
        }
        return false;
    }

    private static int byAcquisitionRank(Map<String, List<SliceHeader>> byAcquisition, String key) {
        return new ArrayList<>(byAcquisition.keySet()).indexOf(key);
    }

    private static String acquisition(SliceHeader s) {
        String a = SliceHeader.string(s.list, TagFromName.AcquisitionNumber);
        return a.isEmpty() ? "(none)" : a;
    }

    /** Numeric order of Acquisition Numbers (an IS), empty last. */
    private static String acquisitionKey(SliceHeader s) {
        String a = SliceHeader.string(s.list, TagFromName.AcquisitionNumber);
        try {
            return String.format(Locale.ROOT, "%020d", Long.parseLong(a) + 1_000_000_000L);
        } catch (NumberFormatException e) {
            return "~" + a;
        }
    }

    private static int instanceNumber(SliceHeader s) {
        return Attribute.getSingleIntegerValueOrDefault(s.list, TagFromName.InstanceNumber, Integer.MAX_VALUE);
    }
}
