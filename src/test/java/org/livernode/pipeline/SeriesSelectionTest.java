package org.livernode.pipeline;

import org.livernode.dicom.vocabulary.SopClasses;
import org.junit.jupiter.api.Test;
import org.livernode.pipeline.SeriesSelection.InstanceFacts;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesSelectionTest {

    private final SeriesSelection rules = new SeriesSelection("CT", List.of("ORIGINAL", "PRIMARY", "AXIAL"), 3);

    private static List<InstanceFacts> series(int n, String sopClass, String modality, String imageType) {
        return Collections.nCopies(n, new InstanceFacts(sopClass, modality, imageType));
    }

    @Test
    void axialOriginalCtIsSelected() {
        assertTrue(rules.rejectionReason(series(5, SopClasses.CT_IMAGE_STORAGE, "CT",
                "ORIGINAL\\PRIMARY\\AXIAL\\CT_SOM5 SPI")).isEmpty());
    }

    @Test
    void eachRuleSaysWhatItFound() {
        assertEquals("series has 2 slices, fewer than the minimum of 3 (livernode.selection.min-slices)",
                rules.rejectionReason(series(2, SopClasses.CT_IMAGE_STORAGE, "CT", "ORIGINAL\\PRIMARY\\AXIAL"))
                        .orElseThrow());
        assertEquals("Image Type is DERIVED\\SECONDARY\\REFORMATTED, which lacks [AXIAL, ORIGINAL, PRIMARY] "
                        + "(livernode.selection.image-type)",
                rules.rejectionReason(series(5, SopClasses.CT_IMAGE_STORAGE, "CT", "DERIVED\\SECONDARY\\REFORMATTED"))
                        .orElseThrow());
        assertEquals("Image Type is ORIGINAL\\PRIMARY\\LOCALIZER, which lacks [AXIAL] (livernode.selection.image-type)",
                rules.rejectionReason(series(5, SopClasses.CT_IMAGE_STORAGE, "CT", "ORIGINAL\\PRIMARY\\LOCALIZER"))
                        .orElseThrow());
        assertTrue(rules.rejectionReason(series(5, "1.2.840.10008.5.1.4.1.1.2.1", "CT", "ORIGINAL\\PRIMARY\\AXIAL"))
                .orElseThrow().startsWith("SOP Class 1.2.840.10008.5.1.4.1.1.2.1 is not segmented"));
        assertEquals("modality is 'MR', only CT is segmented (livernode.selection.modality)",
                rules.rejectionReason(series(5, SopClasses.CT_IMAGE_STORAGE, "MR", "ORIGINAL\\PRIMARY\\AXIAL"))
                        .orElseThrow());
    }
}
