package org.livernode.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.livernode.model.ForwardPass;
import org.livernode.model.IntensityMapping;
import org.livernode.model.SliceBatches;
import org.livernode.model.SliceModel;
import org.livernode.model.UNetBlock;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * The network run by ONNX Runtime on the CPU: the loaded block exported in memory ({@link OnnxExport}), one session
 * with every graph optimisation (it fuses the element-wise passes into the convolutions), intra-op threads = cores
 * that sleep when idle, sequential execution. The mapping, batching and test-time augmentation are
 * {@link SliceBatches}', as for libtorch. Not thread-safe (callers take turns, as for the libtorch network).
 */
public final class OnnxSliceModel implements SliceModel, AutoCloseable {

    /** Intra-op threads: -Dlivernode.onnxruntime.threads (for the bench), else every available core. */
    public static int threads() {
        return Integer.getInteger("livernode.onnxruntime.threads", Runtime.getRuntime().availableProcessors());
    }

    private final OrtSession session;
    private final SliceBatches batches;

    /**
     * Whether idle intra-op threads spin (ONNX Runtime's default) rather than sleep; -Dlivernode.onnxruntime.spinning
     * for the bench. Off, as the launcher makes libtorch's OpenMP threads wait passively: on the shared 2-core machine
     * spinning took 1.7-1.9x the CPU-s and 1.5-2.2x the wall time a slice (README, Inference speed), and the node's
     * receiving runs beside the network.
     */
    public static boolean spinning() {
        return Boolean.parseBoolean(System.getProperty("livernode.onnxruntime.spinning", "false"));
    }

    public OnnxSliceModel(UNetBlock block, int inputSize, IntensityMapping mapping, int batchSize,
                          boolean testTimeAugmentation, String producerVersion) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(threads());
            options.addConfigEntry("session.intra_op.allow_spinning", spinning() ? "1" : "0");
            session = env.createSession(OnnxExport.of(block, inputSize, producerVersion), options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the exported " + block.architecture().name()
                    + ": " + e.getMessage(), e);
        }
        ForwardPass pass = (input, n, size) -> run(env, input, n, size);
        batches = new SliceBatches(pass, inputSize, mapping, batchSize, testTimeAugmentation);
    }

    private float[] run(OrtEnvironment env, float[] input, int n, int size) {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {n, 1, size, size});
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, x))) {
            FloatBuffer p = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] out = new float[p.remaining()];
            p.get(out);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime forward pass failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int inputSize() {
        return batches.inputSize();
    }

    @Override
    public float[][] liverProbability(float[][] huSlices) {
        return batches.liverProbability(huSlices);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
