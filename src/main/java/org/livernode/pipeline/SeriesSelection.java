package org.livernode.pipeline;

import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.overlay.OverlayImageWriter;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.volume.ImageFacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides which images of a complete series the liver model sees, by what the images are rather than by optional
 * labels (the same rules for {@code serve} and {@code segment}):
 * <ol>
 *   <li>Modality CT; a series that mixes modalities is refused, naming each and a file of it.</li>
 *   <li>SOP Class CT Image or Enhanced CT Image (each frame a slice); other images in the series (a dose report,
 *       a secondary capture) are left out and noted.</li>
 *   <li>Axial: the slice normal (row x column direction of Image Orientation Patient) within
 *       {@link #MAX_TILT_DEGREES} of the patient's z axis, so gantry-tilted stacks are axial; coronal, sagittal
 *       and oblique images, and images without an orientation, are left out.</li>
 *   <li>Not a localizer: Image Type (or an Enhanced CT frame's Frame Type) value 3 LOCALIZER is left out.
 *       ORIGINAL or DERIVED, PRIMARY or SECONDARY do not matter (a lossy re-encoding, a reconstruction or an
 *       axial reformat is still an axial HU image), and Image Type may lack value 3 or carry padding.</li>
 *   <li>Not the node's own output: an image with burned-in annotation whose Manufacturer is livernode (the
 *       overlay series) is left out, so an overlay that comes back (stored locally, or routed back by a PACS) never starts a job of its
 *       own.</li>
 *   <li>At least {@code livernode.selection.min-slices} slices remain.</li>
 * </ol>
 * When nothing is left, the series is refused with the reason of the first rule that removed images.
 */
public final class SeriesSelection {

    /** The largest angle between slice normal and patient z that is still axial: CT gantries tilt up to 30 degrees. */
    public static final double MAX_TILT_DEGREES = 30;

    /** The Manufacturer the node writes into every object it makes. */
    static final String OWN_MANUFACTURER = OverlayImageWriter.MANUFACTURER;

    private final int minSlices;

    public SeriesSelection(int minSlices) {
        if (minSlices < 1) {
            throw new IllegalArgumentException("minSlices must be at least 1, found " + minSlices);
        }
        this.minSlices = minSlices;
    }

    public static SeriesSelection from(LivernodeConfig.Selection config) {
        return new SeriesSelection(config.minSlices());
    }

    /** The images kept (indices into the facts given), what was left out and why, or why nothing is segmented. */
    public record Decision(List<Integer> kept, List<String> notes, Optional<String> refusal) {
        public boolean refused() {
            return refusal.isPresent();
        }
    }

    public Decision select(List<ImageFacts> images) {
        Map<String, List<ImageFacts>> byModality = new TreeMap<>();
        for (ImageFacts image : images) {
            byModality.computeIfAbsent(image.modality().isEmpty() ? "(none)" : image.modality(), m -> new ArrayList<>())
                    .add(image);
        }
        if (byModality.size() > 1) {
            StringBuilder each = new StringBuilder();
            byModality.forEach((m, list) -> each.append(each.length() == 0 ? "" : ", ").append(m).append(" (")
                    .append(list.size()).append(list.size() == 1 ? " image, " : " images, e.g. ")
                    .append(list.get(0).where()).append(')'));
            return refuse("the series mixes modalities: " + each + "; only a series that is all CT is segmented");
        }
        if (!byModality.containsKey("CT")) {
            return refuse("Modality is '" + byModality.keySet().iterator().next() + "' (" + images.get(0).where()
                    + "); only CT is segmented");
        }
        Map<String, List<String>> leftOut = new LinkedHashMap<>();
        List<Integer> kept = new ArrayList<>();
        for (int k = 0; k < images.size(); k++) {
            Optional<String> why = whyLeftOut(images.get(k));
            if (why.isPresent()) {
                leftOut.computeIfAbsent(why.get(), r -> new ArrayList<>()).add(images.get(k).where());
            } else {
                kept.add(k);
            }
        }
        List<String> notes = new ArrayList<>();
        leftOut.forEach((why, where) -> notes.add(where.size() + " image(s) left out: " + why
                + (where.size() == 1 ? " (" + where.get(0) + ")" : " (e.g. " + where.get(0) + ")")));
        if (kept.isEmpty()) {
            return refuse("no image of the series is segmented: " + String.join("; ", notes));
        }
        if (kept.size() < minSlices) {
            return new Decision(List.of(), notes, Optional.of("series has " + kept.size() + " slice(s) to segment, fewer"
                    + " than the minimum of " + minSlices + " (livernode.selection.min-slices)"
                    + (notes.isEmpty() ? "" : "; " + String.join("; ", notes))));
        }
        return new Decision(kept, notes, Optional.empty());
    }

    /** Why one image is not segmented, or empty when it is. */
    static Optional<String> whyLeftOut(ImageFacts image) {
        if (!SopClasses.isCtImage(image.sopClassUid())) {
            return Optional.of("SOP Class " + image.sopClassUid() + " is not CT Image (" + SopClasses.CT_IMAGE_STORAGE
                    + ") or Enhanced CT Image (" + SopClasses.ENHANCED_CT_IMAGE_STORAGE + ") Storage");
        }
        if (image.imageType().size() >= 3 && "LOCALIZER".equals(image.imageType().get(2))) {
            return Optional.of("a localizer (Image Type " + String.join("\\", image.imageType()) + ")");
        }
        if (OWN_MANUFACTURER.equalsIgnoreCase(image.manufacturer()) && image.burnedInAnnotation()) {
            return Optional.of("the node's own output (Manufacturer " + OWN_MANUFACTURER + ", Burned In Annotation YES)");
        }
        double[] o = image.orientation();
        if (o == null) {
            return Optional.of("no Image Orientation (Patient), so the image plane is unknown");
        }
        double nx = o[1] * o[5] - o[2] * o[4];
        double ny = o[2] * o[3] - o[0] * o[5];
        double nz = o[0] * o[4] - o[1] * o[3];
        double length = Math.sqrt(nx * nx + ny * ny + nz * nz);
        double degrees = length == 0 ? 90 : Math.toDegrees(Math.acos(Math.min(1, Math.abs(nz) / length)));
        if (!(degrees <= MAX_TILT_DEGREES)) {
            String plane = Math.abs(ny) >= Math.abs(nx) && Math.abs(ny) > Math.abs(nz) ? "coronal"
                    : Math.abs(nx) > Math.abs(nz) ? "sagittal" : "oblique";
            return Optional.of(String.format(Locale.ROOT, "not axial but %s: the slice normal of Image Orientation "
                    + "(Patient) %s is %.1f degrees from the patient's z axis (at most %.0f is axial)", plane,
                    format(o), degrees, MAX_TILT_DEGREES));
        }
        return Optional.empty();
    }

    private static Decision refuse(String reason) {
        return new Decision(List.of(), List.of(), Optional.of(reason));
    }

    private static String format(double[] o) {
        StringBuilder sb = new StringBuilder();
        for (double v : o) {
            sb.append(sb.length() == 0 ? "" : "\\").append(String.format(Locale.ROOT, "%.4g", v));
        }
        return sb.toString();
    }
}
