package org.livernode.model;

/**
 * Size of a network computed analytically from its descriptor: multiply-accumulates (MACs) of every
 * convolution for one slice; FLOPs = 2 x MACs. Batch norm, activations, pooling and bilinear resizing are
 * element-wise and left out (as FLOP counters usually do).
 */
public record ModelComplexity(int inputSize, long multiplyAccumulates) {

    public long flops() {
        return 2 * multiplyAccumulates;
    }

    public static ModelComplexity of(ModelArchitecture arch, int size) {
        arch.checkInputSize(size);
        boolean sep = arch.separable();
        long macs = (long) size * size * 9 * arch.baseWidth();
        for (int i = 0; i < arch.levels(); i++) {
            long s = size >> i;
            int in = i == 0 ? arch.baseWidth() : arch.channels(i - 1);
            macs += ConvBlocks.multiplyAccumulates(sep, in, arch.channels(i), s, s);
            macs += ConvBlocks.multiplyAccumulates(sep, arch.channels(i), arch.channels(i), s, s);
        }
        if (arch.eas()) {
            long s = size >> (arch.levels() - 1);
            int c = arch.channels(arch.levels() - 1);
            macs += EasModule.multiplyAccumulates(c, c / 2, arch.asppDilations().size(), s, s);
        }
        int heads = 0;
        for (int i = arch.levels() - 2; i >= 0; i--) {
            long s = size >> i;
            int c = arch.channels(i);
            macs += (s / 2) * (s / 2) * arch.channels(i + 1) * c;
            macs += ConvBlocks.multiplyAccumulates(sep, 2 * c, c, s, s) + ConvBlocks.multiplyAccumulates(sep, c, c, s, s);
            if (arch.deepSupervision() || i == 0) {
                macs += s * s * c;
                heads++;
            }
        }
        if (arch.deepSupervision()) {
            macs += (long) size * size * heads;
        }
        return new ModelComplexity(size, macs);
    }
}
