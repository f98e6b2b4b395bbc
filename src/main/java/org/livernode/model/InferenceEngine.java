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

    /**
     * The default, as the setting spells it: ONNX Runtime, which runs the network in about half libtorch's CPU time
     * with the same masks (README, Inference speed); GPU images set pytorch.
     */
    public static final String DEFAULT_SETTING = "onnxruntime";
    public static final InferenceEngine DEFAULT = forSettingName(DEFAULT_SETTING);

    /** The setting's spelling. */
    public String settingName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The engine a command's --engine names (spelt as the setting), else the setting's. */
    public static InferenceEngine chosen(String option, InferenceEngine setting) {
        return option == null ? setting : forSettingName(option);
    }

    public static InferenceEngine forSettingName(String name) {
        for (InferenceEngine e : values()) {
            if (e.settingName().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("--engine must be pytorch or onnxruntime, found " + name);
    }
}
