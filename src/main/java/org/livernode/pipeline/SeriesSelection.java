package org.livernode.pipeline;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a complete series is one the liver model should see, like MONAI Deploy's series
 * selection rules: the modality, the Image Type values it must carry, and a minimum number of slices.
 * Scouts, reformats and dose reports end as SKIPPED with the rule they broke, not as failures.
 */
public final class SeriesSelection {

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

    public static SeriesSelection from(PipelineConfig.Selection config) {
        return new SeriesSelection(config.modality(), config.imageType(), config.minSlices());
    }

    /**
     * Returns why the series is not selected, or empty when it is.
     *
     * @param headers one header per instance of the series (pixel data not needed)
     */
    public Optional<String> rejectionReason(List<AttributeList> headers) {
        if (headers.size() < minSlices) {
            return Optional.of("series has " + headers.size() + " instances, fewer than the minimum of "
                    + minSlices + " slices (livernode.selection.min-slices)");
        }
        for (AttributeList header : headers) {
            String found = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.Modality).trim();
            if (!modality.equalsIgnoreCase(found)) {
                return Optional.of("modality is '" + found + "', only " + modality
                        + " is segmented (livernode.selection.modality)");
            }
            Set<String> imageType = Arrays.stream(Attribute.getStringValues(header, TagFromName.ImageType) == null
                            ? new String[0] : Attribute.getStringValues(header, TagFromName.ImageType))
                    .map(s -> s.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
            if (!imageType.containsAll(requiredImageType)) {
                return Optional.of("Image Type is " + String.join("\\", imageType) + ", which lacks "
                        + requiredImageType.stream().filter(t -> !imageType.contains(t)).sorted().toList()
                        + " (livernode.selection.image-type)");
            }
        }
        return Optional.empty();
    }
}
