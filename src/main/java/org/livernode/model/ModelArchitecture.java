package org.livernode.model;

import java.util.List;

/**
 * Descriptor of a segmentation network: everything needed to rebuild its Blocks. Stored in the model card,
 * so a model directory can be loaded without knowing how it was trained.
 *
 * @param name            "eas-unet" (the paper's EAS U-Net) or "unet" (the plain 2D U-Net of its Table 1)
 * @param baseWidth       channels of the first level; each deeper level doubles them
 * @param levels          resolution levels including the bottleneck (input size must be divisible by 2^(levels-1))
 * @param separable       depthwise separable convolution blocks (else standard 3x3 conv + BN + ReLU)
 * @param eas             the EAS module (ASPP + ECA) after the bottleneck, on the encoder side
 * @param deepSupervision side outputs at every decoder scale, fused by concatenation into the final output
 * @param asppDilations   dilation rates of the ASPP's atrous branches
 * @param leakyReluSlope  negative slope of the LeakyReLU after depthwise convolutions
 */
public record ModelArchitecture(String name, int baseWidth, int levels, boolean separable, boolean eas,
                                boolean deepSupervision, List<Integer> asppDilations, float leakyReluSlope) {

    public static final String EAS_UNET = "eas-unet";
    public static final String UNET = "unet";

    public ModelArchitecture {
        if (!EAS_UNET.equals(name) && !UNET.equals(name)) {
            throw new IllegalArgumentException("architecture name must be " + EAS_UNET + " or " + UNET + ", found " + name);
        }
        if (baseWidth < 4 || baseWidth > 128) {
            throw new IllegalArgumentException("baseWidth must be in [4, 128], found " + baseWidth);
        }
        if (levels < 2 || levels > 7) {
            throw new IllegalArgumentException("levels must be in [2, 7], found " + levels);
        }
        asppDilations = List.copyOf(asppDilations == null ? List.of() : asppDilations);
        if (eas && asppDilations.isEmpty()) {
            throw new IllegalArgumentException("asppDilations must not be empty when the EAS module is on");
        }
    }

    /** The paper's EAS U-Net: separable blocks, EAS module at the bottleneck, multi-scale output fusion. */
    public static ModelArchitecture easUnet(int baseWidth) {
        return new ModelArchitecture(EAS_UNET, baseWidth, 5, true, true, true, List.of(6, 12, 18), 0.01f);
    }

    /** The plain 2D U-Net baseline: standard 3x3 conv + BN + ReLU blocks, one output. */
    public static ModelArchitecture unet(int baseWidth) {
        return new ModelArchitecture(UNET, baseWidth, 5, false, false, false, List.of(), 0.01f);
    }

    /** {@code eas} or {@code eas-unet} and {@code unet}, as the CLI's --arch takes them. */
    public static ModelArchitecture forCliName(String arch, int baseWidth) {
        return switch (arch) {
            case "eas", EAS_UNET -> easUnet(baseWidth);
            case UNET -> unet(baseWidth);
            default -> throw new IllegalArgumentException("--arch must be eas or unet, found " + arch);
        };
    }

    public int channels(int level) {
        return baseWidth << level;
    }

    /** Number of network outputs: the fused prediction plus one side output per decoder scale. */
    public int outputCount() {
        return deepSupervision ? levels : 1;
    }

    public void checkInputSize(int size) {
        int divisor = 1 << (levels - 1);
        if (size <= 0 || size % divisor != 0) {
            throw new IllegalArgumentException("input size must be a positive multiple of " + divisor
                    + " for " + levels + " levels, found " + size);
        }
    }
}
