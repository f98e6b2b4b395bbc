package org.livernode.pipeline;

import org.junit.jupiter.api.Test;
import org.livernode.dicom.vocabulary.CodeStrings;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.volume.ImageFacts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesSelectionTest {

    private static final double[] AXIAL = {1, 0, 0, 0, 1, 0};
    private final SeriesSelection rules = new SeriesSelection(3);

    private static ImageFacts image(String sopClass, String modality, String imageType, double[] orientation) {
        return new ImageFacts("f", sopClass, CodeStrings.value(modality), CodeStrings.values(imageType), orientation, "GE MEDICAL SYSTEMS", false);
    }

    private static List<ImageFacts> series(int n, ImageFacts image) {
        return Collections.nCopies(n, image);
    }

    @Test
    void axialCtIsSelectedWhateverImageTypeSays() {
        for (String imageType : List.of("ORIGINAL\\PRIMARY\\AXIAL\\CT_SOM5 SPI", "ORIGINAL\\PRIMARY", "DERIVED \\PRIMARY\\AXIAL",
                "DERIVED\\SECONDARY\\AXIAL", "ORIGINAL\0\\PRIMARY\0\\AXIAL\0", "")) {
            SeriesSelection.Decision d = rules.select(series(5, image(SopClasses.CT_IMAGE_STORAGE, "CT", imageType, AXIAL)));
            assertFalse(d.refused(), imageType + ": " + d.refusal());
            assertEquals(5, d.kept().size());
        }
        SeriesSelection.Decision nulPadded = rules.select(series(5, image(SopClasses.CT_IMAGE_STORAGE, "CT\0",
                "ORIGINAL\\PRIMARY", AXIAL)));
        assertFalse(nulPadded.refused(), nulPadded.refusal().toString());
    }

    @Test
    void gantryTiltUpToThirtyDegreesIsAxial() {
        for (double degrees : new double[] {-22, 18.5, -18.5, 16.5, 30}) {
            double t = Math.toRadians(degrees);
            double[] tilted = {1, 0, 0, 0, Math.cos(t), -Math.sin(t)};
            assertFalse(rules.select(series(4, image(SopClasses.CT_IMAGE_STORAGE, "CT", "ORIGINAL\\PRIMARY", tilted)))
                    .refused(), degrees + " degrees");
        }
        double t = Math.toRadians(31);
        assertTrue(rules.select(series(4, image(SopClasses.CT_IMAGE_STORAGE, "CT", "ORIGINAL\\PRIMARY",
                new double[] {1, 0, 0, 0, Math.cos(t), -Math.sin(t)}))).refusal().orElseThrow().contains("31.0 degrees"));
    }

    @Test
    void localizerCoronalAndSagittalAreRefusedWithTheReason() {
        String localizer = rules.select(series(4, image(SopClasses.CT_IMAGE_STORAGE, "CT", "ORIGINAL\\PRIMARY\\LOCALIZER",
                new double[] {0, -1, 0, 0, 0, -1}))).refusal().orElseThrow();
        assertTrue(localizer.contains("a localizer (Image Type ORIGINAL\\PRIMARY\\LOCALIZER)"), localizer);
        String coronal = rules.select(series(4, image(SopClasses.CT_IMAGE_STORAGE, "CT", "ORIGINAL\\PRIMARY",
                new double[] {1, 0, 0, 0, 0, -1}))).refusal().orElseThrow();
        assertTrue(coronal.contains("not axial but coronal") && coronal.contains("90.0 degrees"), coronal);
        String sagittal = rules.select(series(4, image(SopClasses.CT_IMAGE_STORAGE, "CT", "ORIGINAL\\PRIMARY",
                new double[] {0, 1, 0, 0, 0, -1}))).refusal().orElseThrow();
        assertTrue(sagittal.contains("not axial but sagittal"), sagittal);
    }

    @Test
    void aLocalizerInsideAnAxialSeriesIsLeftOutAndNoted() {
        List<ImageFacts> images = new ArrayList<>(series(4, image(SopClasses.CT_IMAGE_STORAGE, "CT", "ORIGINAL\\PRIMARY\\AXIAL", AXIAL)));
        images.add(0, image(SopClasses.CT_IMAGE_STORAGE, "CT", "ORIGINAL\\PRIMARY\\LOCALIZER", new double[] {0, 1, 0, 0, 0, -1}));
        SeriesSelection.Decision d = rules.select(images);
        assertEquals(List.of(1, 2, 3, 4), d.kept());
        assertTrue(d.notes().get(0).startsWith("1 image(s) left out: a localizer"), d.notes().toString());
    }

    @Test
    void mixedModalitiesAreRefusedNamingEach() {
        List<ImageFacts> images = new ArrayList<>(series(4, image(SopClasses.CT_IMAGE_STORAGE, "CT", "ORIGINAL\\PRIMARY", AXIAL)));
        images.add(new ImageFacts("dose.dcm", "1.2.840.10008.5.1.4.1.1.7", "OT", List.of(), null, "GE MEDICAL SYSTEMS", false));
        assertEquals("the series mixes modalities: CT (4 images, e.g. f), OT (1 image, dose.dcm); only a series that is"
                + " all CT is segmented", rules.select(images).refusal().orElseThrow());
        assertEquals("Modality is 'MR' (f); only CT is segmented",
                rules.select(series(4, image(SopClasses.CT_IMAGE_STORAGE, "MR", "ORIGINAL\\PRIMARY", AXIAL))).refusal().orElseThrow());
    }

    @Test
    void tooFewSlicesAndOtherSopClassesSayWhatTheyFound() {
        assertEquals("series has 2 slice(s) to segment, fewer than the minimum of 3 (livernode.selection.min-slices)",
                rules.select(series(2, image(SopClasses.CT_IMAGE_STORAGE, "CT", "ORIGINAL\\PRIMARY\\AXIAL", AXIAL)))
                        .refusal().orElseThrow());
        String sc = rules.select(series(4, image("1.2.840.10008.5.1.4.1.1.7", "CT", "DERIVED\\SECONDARY", AXIAL)))
                .refusal().orElseThrow();
        assertTrue(sc.contains("SOP Class 1.2.840.10008.5.1.4.1.1.7 is not CT Image"), sc);
        assertFalse(rules.select(series(4, image(SopClasses.ENHANCED_CT_IMAGE_STORAGE, "CT", "DERIVED\\PRIMARY\\PERFUSION",
                AXIAL))).refused(), "Enhanced CT frames are slices");
    }

    @Test
    void theNodesOwnOverlaySeriesIsNeverSegmentedButAScannersDerivedImagesAre() {
        ImageFacts overlay = new ImageFacts("overlay.dcm", SopClasses.CT_IMAGE_STORAGE, "CT",
                List.of("DERIVED", "SECONDARY", "AXIAL"), AXIAL, "livernode", true);
        SeriesSelection.Decision own = rules.select(series(5, overlay));
        assertTrue(own.refused() && own.refusal().get().contains("the node's own output"), own.toString());
        ImageFacts reformat = new ImageFacts("mpr.dcm", SopClasses.CT_IMAGE_STORAGE, "CT",
                List.of("DERIVED", "SECONDARY", "AXIAL"), AXIAL, "SIEMENS", true);
        assertFalse(rules.select(series(5, reformat)).refused());
        ImageFacts phantom = new ImageFacts("phantom.dcm", SopClasses.CT_IMAGE_STORAGE, "CT",
                List.of("DERIVED", "SECONDARY", "AXIAL"), AXIAL, "livernode", false);
        assertFalse(rules.select(series(5, phantom)).refused());
    }
}
