package org.livernode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The activations of the EAS U-Net that DJL does not name. */
final class Activations {

    private Activations() {
    }

    /** h-swish(x) = x * ReLU6(x + 3) / 6 (MobileNetV3), cheaper than swish and without its vanishing gradient. */
    static NDArray hardSwish(NDArray x) {
        return x.mul(x.add(3f).clip(0f, 6f)).div(GraphScalars.of(x, 6f)); // not div(6f): see GraphScalars
    }

    static NDArray leakyRelu(NDArray x, float slope) {
        return Activation.leakyRelu(x, slope);
    }

    /** Bilinear resize of an NCHW array to height x width (differentiable; DJL has no transposed conv on PyTorch). */
    static NDArray resizeNearest(NDArray x, long height, long width) {
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, 0, false);
    }

    static NDArray resizeBilinear(NDArray x, long height, long width) {
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, 1, false);
    }
}
