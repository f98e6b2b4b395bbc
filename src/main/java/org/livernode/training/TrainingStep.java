package org.livernode.training;

import ai.djl.Model;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One SGD step of a training run and its guards: a batch whose loss or gradient is not finite makes no update and
 * leaves the batch norms as they were, and a gradient over the global norm limit is scaled down to it.
 */
final class TrainingStep {

    private TrainingStep() {
    }

    /** SGD with the options' momentum and weight decay, CE + soft Dice over all outputs, on the model's device. */
    static Trainer newTrainer(Model model, TrainingOptions options, LearningRateSchedule schedule) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(new DeepSupervisionLoss(options.sideWeight()))
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(schedule).optMomentum(options.momentum())
                        .optWeightDecays(options.weightDecay()).build())
                .optDevices(new Device[] {model.getNDManager().getDevice()});
        return model.newTrainer(config);
    }

    /**
     * One SGD step on n slices of size x size (input and 0/1 target, row-major); returns the loss before the step and
     * the gradient's global L2 norm before clipping. A non-finite loss is returned without a backward pass or an
     * update, and the batch-norm running statistics its forward pass already moved are put back: one such batch would
     * otherwise turn the model into NaN for good (seen once on the CPU here, in a resumed fine-tuning run: every later
     * epoch had loss NaN and DSC 0). A non-finite gradient is discarded the same way. A gradient whose norm is over
     * maxGradNorm is scaled down to it before the update, so one outlier batch cannot throw the weights far enough to
     * diverge (0 or less: no clipping).
     */
    static Result run(Trainer trainer, float[] x, float[] y, int n, int size, float maxGradNorm) {
        List<NDArray> runningStatistics = runningStatistics(trainer);
        List<float[]> saved = runningStatistics.stream().map(NDArray::toFloatArray).toList();
        try (NDManager step = trainer.getManager().newSubManager()) {
            NDArray input = step.create(x, new Shape(n, 1, size, size));
            NDArray label = step.create(y, new Shape(n, 1, size, size));
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(new NDList(input));
                NDArray value = trainer.getLoss().evaluate(new NDList(label), predictions);
                loss = value.getFloat();
                if (!Float.isFinite(loss)) {
                    restore(runningStatistics, saved);
                    return new Result(loss, Float.NaN);
                }
                collector.backward(value);
            }
            float gradientNorm = clipGradientNorm(trainer, step, maxGradNorm);
            if (!Float.isFinite(gradientNorm)) {
                restore(runningStatistics, saved);
                return new Result(loss, gradientNorm);
            }
            trainer.step();
            return new Result(loss, gradientNorm);
        }
    }

    private static void restore(List<NDArray> arrays, List<float[]> values) {
        for (int i = 0; i < arrays.size(); i++) {
            arrays.get(i).set(FloatBuffer.wrap(values.get(i)));
        }
    }

    /** What one step saw: its loss and the global L2 norm of its gradient before clipping. */
    record Result(float loss, float gradientNorm) {
        /** False when the step made no update: its loss or its gradient was not finite. */
        boolean updated() {
            return Float.isFinite(loss) && Float.isFinite(gradientNorm);
        }

        boolean clipped(float maxGradNorm) {
            return maxGradNorm > 0 && gradientNorm > maxGradNorm;
        }
    }

    /**
     * Scales all gradients by one factor so that their global L2 norm is at most maxNorm (the gradient keeps its
     * direction, unlike clipping each value), and clears a non-finite gradient; returns the norm before either.
     * A NaN gradient under a finite loss was seen here until backward stopped reading scalars DJL had freed
     * ({@code model.GraphScalars}); whatever the cause, such a batch must make no update.
     */
    private static float clipGradientNorm(Trainer trainer, NDManager step, float maxNorm) {
        List<NDArray> gradients = new ArrayList<>();
        for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
            if (p.getValue().requiresGradient()) {
                NDArray gradient = p.getValue().getArray().getGradient();
                gradient.attach(step); // a view of the parameter's gradient; closing the handle leaves the gradient
                gradients.add(gradient);
            }
        }
        NDList sums = new NDList(gradients.size());
        for (NDArray g : gradients) {
            sums.add(g.square().sum().reshape(1));
        }
        float norm = (float) Math.sqrt(NDArrays.concat(sums).sum().getFloat());
        if (!Float.isFinite(norm)) {
            // backward adds into the gradients and only an update clears them: without this fill every later step
            // would add to the NaN and be skipped too (a fill, because NaN x 0 and NaN - NaN stay NaN)
            for (NDArray g : gradients) {
                g.set(new NDIndex("..."), 0f);
            }
            return norm;
        }
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = maxNorm / norm;
            for (NDArray g : gradients) {
                g.muli(scale);
            }
        }
        return norm;
    }

    /** The batch-norm running means and variances: a forward pass in training mode updates them in place. */
    private static List<NDArray> runningStatistics(Trainer trainer) {
        List<NDArray> arrays = new ArrayList<>();
        for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                arrays.add(p.getValue().getArray());
            }
        }
        return arrays;
    }

}
