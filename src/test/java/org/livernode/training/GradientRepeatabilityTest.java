package org.livernode.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.livernode.model.ModelArchitecture;
import org.livernode.model.UNetBlock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gradient of a batch does not depend on what the JVM does between forward and backward. Numbers passed to DJL
 * ops as Java numbers become tensors over direct buffers that DJL closes at once; where autograd kept one for backward,
 * a garbage collection (and fresh direct buffers, here NaN-filled, taking the freed memory) changed the gradient: 8 of
 * 8 such passes differed, in each of 3 runs, before {@link org.livernode.model.GraphScalars}.
 */
class GradientRepeatabilityTest {

    static final int SIZE = 32;
    static final int BATCH = 2;
    static final int PASSES = 8;

    @Test
    void aGarbageCollectionBetweenForwardAndBackwardLeavesTheGradientAsItWas() throws Exception {
        Engine.getInstance().setRandomSeed(42);
        TrainingOptions options = TrainingOptions.builder().setArchitecture(ModelArchitecture.easUnet(4))
                .setOutput(Path.of("unused")).optBatchSize(BATCH).optInputSize(SIZE).optEpochs(1).build();
        LearningRateSchedule constant = new LearningRateSchedule(LearningRateSchedule.Kind.CONSTANT, 0.05f, 10, 0, 1f);
        Random random = new Random(1);
        float[] x = new float[BATCH * SIZE * SIZE];
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
            y[i] = x[i] > 0.5f ? 1 : 0;
        }
        try (Model model = Model.newInstance("t", Device.cpu(), "PyTorch")) {
            model.setBlock(new UNetBlock(options.architecture()));
            try (Trainer trainer = TrainingStep.newTrainer(model, options, constant)) {
                trainer.initialize(new Shape(BATCH, 1, SIZE, SIZE));
                float[] undisturbed = gradient(trainer, x, y, false);
                int differing = 0;
                for (int pass = 0; pass < PASSES; pass++) {
                    differing += Arrays.equals(undisturbed, gradient(trainer, x, y, true)) ? 0 : 1;
                }
                assertEquals(0, differing, "passes of " + PASSES + " whose gradient changed with a garbage collection before backward");
            }
        }
    }

    /** All parameter gradients of one forward and backward pass (no update; the gradients are zeroed after). */
    private static float[] gradient(Trainer trainer, float[] x, float[] y, boolean collectGarbage) throws InterruptedException {
        List<float[]> parts = new ArrayList<>();
        try (NDManager step = trainer.getManager().newSubManager()) {
            NDArray input = step.create(x, new Shape(BATCH, 1, SIZE, SIZE));
            NDArray label = step.create(y, new Shape(BATCH, 1, SIZE, SIZE));
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray loss = trainer.getLoss().evaluate(new NDList(label), trainer.forward(new NDList(input)));
                List<ByteBuffer> reuse = new ArrayList<>();
                if (collectGarbage) {
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                        Thread.sleep(50); // the Cleaner frees direct buffers on its own thread
                    }
                    for (int i = 0; i < 20_000; i++) {
                        reuse.add(ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, Float.NaN));
                    }
                }
                collector.backward(loss);
                reuse.clear();
            }
            for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
                if (p.getValue().requiresGradient()) {
                    NDArray g = p.getValue().getArray().getGradient();
                    g.attach(step); // a handle on the parameter's gradient; closing it leaves the gradient
                    parts.add(g.toFloatArray());
                    g.subi(g);
                }
            }
        }
        float[] all = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int offset = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, offset, p.length);
            offset += p.length;
        }
        return all;
    }
}
