package org.livernode.model;

/**
 * The engine that runs the network's forward pass (livernode.inference.engine). Both run the same folded network
 * from the same weights file, behind the same mapping, batching and test-time augmentation ({@link SliceBatches}).
 */
public enum InferenceEngine {
    /** libtorch through DJL, on a GPU when DJL sees one. */
    PYTORCH,
    /** ONNX Runtime on the CPU, running the graph {@code onnx.OnnxExport} writes from the loaded block. */
    ONNXRUNTIME;

    /** The setting's spelling. */
    public String settingName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
