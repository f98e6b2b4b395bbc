package org.livernode.pipeline;

import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.vocabulary.SopClasses;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a complete series is one the liver model should see, like MONAI Deploy's series
 * selection rules: the SOP class, the modality, the Image Type values it must carry and a minimum number of
 * slices. Scouts, reformats and multi-frame objects end as SKIPPED with the rule they broke, not as failures.
 */
public final class SeriesSelection {

    /** CT Image Storage: one slice per instance, what the volume reader builds volumes from. */

    /** What the rules look at, per instance: from the index or from a file's header. */
    public record InstanceFacts(String sopClassUid, String modality, String imageType) {
        /** Image Type values, from its DICOM backslash-delimited form. */
        Set<String> imageTypeValues() {
            return imageType == null ? Set.of() : Arrays.stream(imageType.split("\\\\"))
                    .map(s -> s.trim().toUpperCase(Locale.ROOT)).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        }
    }

    private final String modality;
    private final Set<String> requiredImageType;
    private final int minSlices;

    public SeriesSelection(String modality, List<String> requiredImageType, int minSlices) {
        if (modality == null || modality.isBlank()) {
            throw new IllegalArgumentException("modality must not be empty");
        }
        if (minSlices < 1) {
            throw new IllegalArgumentException("minSlices must be at least 1, found " + minSlices);
        }
        this.modality = modality.trim().toUpperCase(Locale.ROOT);
        this.requiredImageType = requiredImageType.stream().map(s -> s.trim().toUpperCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        this.minSlices = minSlices;
    }

    public static SeriesSelection from(LivernodeConfig.Selection config) {
        return new SeriesSelection(config.modality(), config.imageType(), config.minSlices());
    }

    /** Returns why the series is not segmented, or empty when it is. */
    public Optional<String> rejectionReason(List<InstanceFacts> instances) {
        for (InstanceFacts instance : instances) {
            if (!SopClasses.CT_IMAGE_STORAGE.equals(instance.sopClassUid())) {
                return Optional.of("SOP Class " + instance.sopClassUid()
                        + " is not segmented; only single-frame CT Image Storage (" + SopClasses.CT_IMAGE_STORAGE + ") is");
            }
            String found = instance.modality() == null ? "" : instance.modality().trim();
            if (!modality.equalsIgnoreCase(found)) {
                return Optional.of("modality is '" + found + "', only " + modality
                        + " is segmented (livernode.selection.modality)");
            }
            Set<String> imageType = instance.imageTypeValues();
            if (!imageType.containsAll(requiredImageType)) {
                return Optional.of("Image Type is " + (instance.imageType() == null ? "empty" : instance.imageType())
                        + ", which lacks " + requiredImageType.stream().filter(t -> !imageType.contains(t)).sorted().toList()
                        + " (livernode.selection.image-type)");
            }
        }
        if (instances.size() < minSlices) {
            return Optional.of("series has " + instances.size() + " slices, fewer than the minimum of "
                    + minSlices + " (livernode.selection.min-slices)");
        }
        return Optional.empty();
    }
}
