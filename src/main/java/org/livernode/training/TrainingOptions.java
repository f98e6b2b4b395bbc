package org.livernode.training;

import org.livernode.model.IntensityMapping;
import org.livernode.model.ModelArchitecture;

import java.nio.file.Path;

/** Everything a training run needs, built with set (required) / opt (defaults = the paper's values). */
public record TrainingOptions(ModelArchitecture architecture, Path output, int epochs, int batchSize, float learningRate,
                              float momentum, float weightDecay, LearningRateSchedule.Kind schedule, int warmupEpochs,
                              float sideWeight, double scaleJitter, int inputSize, IntensityMapping intensityMapping,
                              long seed, double trainFraction, boolean resume, int maxTrainSlices, int cropSize,
                              int stopAfterEpochs, Path initialWeights, float maxGradientNorm,
                              IntensityAugmentation intensityAugmentation, int averageFromEpoch) {

    /** Whether the run also writes the mean of its last epochs' weights ({@link WeightAverage}). */
    public boolean averaging() {
        return averageFromEpoch > 0;
    }

    public static final float DEFAULT_MAX_GRADIENT_NORM = 12f;

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private ModelArchitecture architecture;
        private Path output;
        private int epochs = 50;
        private int batchSize = 8;
        private float learningRate = 0.01f;
        private float momentum = 0.9f;
        private float weightDecay = 1e-4f;
        private LearningRateSchedule.Kind schedule = LearningRateSchedule.Kind.COSINE;
        private int warmupEpochs = -1;
        private float sideWeight = 0.5f;
        private double scaleJitter = 0.15;
        private IntensityAugmentation intensityAugmentation = IntensityAugmentation.NONE;
        private int inputSize = 256;
        private IntensityMapping intensityMapping = IntensityMapping.litsSlices();
        private long seed = 42;
        private double trainFraction = 0.8;
        private boolean resume;
        private int maxTrainSlices = Integer.MAX_VALUE;
        private int cropSize;
        private int stopAfterEpochs = Integer.MAX_VALUE;
        private Path initialWeights;
        private float maxGradientNorm = DEFAULT_MAX_GRADIENT_NORM;
        private int averageFromEpoch;

        public Builder setArchitecture(ModelArchitecture v) { architecture = v; return this; }
        public Builder setOutput(Path v) { output = v; return this; }
        public Builder optEpochs(int v) { epochs = v; return this; }
        public Builder optBatchSize(int v) { batchSize = v; return this; }
        public Builder optLearningRate(float v) { learningRate = v; return this; }
        public Builder optMomentum(float v) { momentum = v; return this; }
        public Builder optWeightDecay(float v) { weightDecay = v; return this; }
        public Builder optSchedule(LearningRateSchedule.Kind v) { schedule = v; return this; }
        /** Linear warm-up epochs; default 1 (0 when training a single epoch). */
        public Builder optWarmupEpochs(int v) { warmupEpochs = v; return this; }
        public Builder optSideWeight(float v) { sideWeight = v; return this; }
        public Builder optScaleJitter(double v) { scaleJitter = v; return this; }
        public Builder optIntensityAugmentation(IntensityAugmentation v) { intensityAugmentation = v; return this; }
        public Builder optInputSize(int v) { inputSize = v; return this; }
        public Builder optIntensityMapping(IntensityMapping v) { intensityMapping = v; return this; }
        public Builder optSeed(long v) { seed = v; return this; }
        public Builder optTrainFraction(double v) { trainFraction = v; return this; }
        public Builder optResume(boolean v) { resume = v; return this; }
        /** Caps the training slices per epoch (fast tests); default all. */
        public Builder optMaxTrainSlices(int v) { maxTrainSlices = v; return this; }

        /** Side of random training crops (multiple of 2^(levels-1)); default the input size (no crop). */
        public Builder optCropSize(int v) { cropSize = v; return this; }

        /** Ends this invocation after that many epochs (continue with resume); bounds a process's memory on long runs. */
        public Builder optStopAfterEpochs(int v) { stopAfterEpochs = v; return this; }

        /** Starts from the weights of this model directory (same architecture) instead of random ones: fine-tuning. */
        public Builder optInitialWeights(Path v) { initialWeights = v; return this; }

        /** Scales a step's gradient down to this global L2 norm when it is larger (0 = no clipping). */
        public Builder optMaxGradientNorm(float v) { maxGradientNorm = v; return this; }

        /**
         * Also writes {@code OUTPUT/averaged/}: the mean of the weights of this epoch to the last (stochastic weight
         * averaging), batch-norm statistics measured again; 0 = off.
         */
        public Builder optAverageFromEpoch(int v) { averageFromEpoch = v; return this; }

        public TrainingOptions build() {
            if (architecture == null) {
                throw new IllegalArgumentException("architecture is required");
            }
            if (output == null) {
                throw new IllegalArgumentException("output directory is required");
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, found " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, found " + batchSize);
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learning rate must be > 0, found " + learningRate);
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), found " + momentum);
            }
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("weight decay must be >= 0, found " + weightDecay);
            }
            if (warmupEpochs == -1) {
                warmupEpochs = Math.min(1, epochs - 1);
            }
            if (warmupEpochs < 0 || warmupEpochs >= epochs) {
                throw new IllegalArgumentException("warmup epochs must be in [0, epochs), found " + warmupEpochs);
            }
            architecture.checkInputSize(inputSize);
            int crop = cropSize == 0 ? inputSize : cropSize;
            if (crop > inputSize) {
                throw new IllegalArgumentException("crop size must be <= input size " + inputSize + ", found " + crop);
            }
            architecture.checkInputSize(crop);
            if (stopAfterEpochs < 1) {
                throw new IllegalArgumentException("stop-after must be >= 1 epoch, found " + stopAfterEpochs);
            }
            if (!(maxGradientNorm >= 0)) {
                throw new IllegalArgumentException("max gradient norm must be >= 0 (0 = no clipping), found " + maxGradientNorm);
            }
            if (averageFromEpoch < 0 || averageFromEpoch > epochs) {
                throw new IllegalArgumentException("average-from must be an epoch in [1, " + epochs + "] (0 = off), found "
                        + averageFromEpoch);
            }
            if (averageFromEpoch > 0 && (resume || stopAfterEpochs != Integer.MAX_VALUE)) {
                // the running mean lives in this process: one process trains the whole run (issue 12 point 4)
                throw new IllegalArgumentException("average-from needs the whole run in one process: it cannot be combined"
                        + " with resume or stop-after");
            }
            return new TrainingOptions(architecture, output, epochs, batchSize, learningRate, momentum, weightDecay,
                    schedule, warmupEpochs, sideWeight, scaleJitter, inputSize, intensityMapping, seed, trainFraction,
                    resume, maxTrainSlices, crop, stopAfterEpochs, initialWeights, maxGradientNorm,
                    intensityAugmentation, averageFromEpoch);
        }
    }
}
