package org.livernode.training;

/** One epoch's figures, printed as progress and kept in the checkpoint and the training history. */
public record EpochRecord(int epoch, double loss, double valDscPooled, double valDscMeanSlice, double learningRate,
                          double seconds, double slicesPerSecond) {

    public String progressLine(int epochs, double etaSeconds, boolean best) {
        return String.format(java.util.Locale.ROOT,
                "epoch %d/%d  loss %.4f  val DSC pooled %.4f  mean/slice %.4f  lr %.5f  %.1f slices/s  %.0f s  ETA %s%s",
                epoch, epochs, loss, valDscPooled, valDscMeanSlice, learningRate, slicesPerSecond, seconds,
                formatDuration(etaSeconds), best ? "  [best, saved]" : "");
    }

    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
