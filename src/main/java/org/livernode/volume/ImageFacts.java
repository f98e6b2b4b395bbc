package org.livernode.volume;

import java.util.List;

/**
 * What the series selection looks at, per slice (a file, or one frame of an Enhanced CT file), as the header says
 * it with Code String padding trimmed. {@code orientation} is null when Image Orientation (Patient) is missing;
 * {@code manufacturer} and {@code burnedInAnnotation} tell the node's own overlay images from a scanner's.
 */
public record ImageFacts(String where, String sopClassUid, String modality, List<String> imageType,
                         double[] orientation, String manufacturer,
                         boolean burnedInAnnotation) {
}
