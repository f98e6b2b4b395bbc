package org.livernode.model;

import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime runs the network exported from the loaded block (onnx.OnnxExport); its masks must be those of the
 * libtorch float32 trained form (batch norms unfolded, the weights file as trained): pooled DSC >= 0.999 on the
 * bundled real CT series and on the 133 LiTS validation slices.
 */
class OnnxEngineTest {

    private static final MaskAgreement.Loader TRAINED = () -> LiverPredictor.load(BundledModelTest.MODEL, 8, false, false, InferenceEngine.PYTORCH);
    private static final MaskAgreement.Loader ONNX_RUNTIME = () -> LiverPredictor.load(BundledModelTest.MODEL, 8, false,
            InferenceEngine.ONNXRUNTIME);

    @Test
    void onnxRuntimeMasksEqualTrainedMasksOnTheBundledSeries() throws Exception {
        MaskAgreement.assertAgree(MaskAgreement.bundledSeries(), TRAINED, ONNX_RUNTIME, "ONNX Runtime vs libtorch trained");
    }

    @Test
    void onnxRuntimeMasksEqualTrainedMasksOnValidationSlices() throws Exception {
        MaskAgreement.assertAgree(MaskAgreement.validationSlices(), TRAINED, ONNX_RUNTIME, "ONNX Runtime vs libtorch trained");
    }
}
