package org.livernode.model;

import org.junit.jupiter.api.Test;

/**
 * The node runs the bundled model with its batch norms folded into the convolutions; its masks must be the trained
 * form's: pooled DSC >= 0.999 between the two, on the bundled real CT series and on the LiTS validation slices.
 */
class BatchNormFoldingTest {

    private static final MaskAgreement.Loader TRAINED = () -> LiverPredictor.load(BundledModelTest.MODEL, 8, false, false, InferenceEngine.PYTORCH);
    private static final MaskAgreement.Loader FOLDED = () -> LiverPredictor.load(BundledModelTest.MODEL, 8, false, true, InferenceEngine.PYTORCH);

    @Test
    void foldedMasksEqualTrainedMasksOnTheBundledSeries() throws Exception {
        MaskAgreement.assertAgree(MaskAgreement.bundledSeries(), TRAINED, FOLDED, "folded vs trained");
    }

    @Test
    void foldedMasksEqualTrainedMasksOnValidationSlices() throws Exception {
        MaskAgreement.assertAgree(MaskAgreement.validationSlices(), TRAINED, FOLDED, "folded vs trained");
    }
}
