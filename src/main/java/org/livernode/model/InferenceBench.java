package org.livernode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.livernode.model.onnx.OnnxSliceModel;
import org.livernode.segmentation.SliceSegmenter;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * bench/inference.sh: seconds per 512x512 slice through {@link SliceSegmenter} with the bundled model, its achieved
 * GFLOP/s ({@link ModelComplexity}) and the ratio to the CPU's peak measured in the same run (a libtorch float32
 * matmul of large matrices), for each engine in turn (-Dbench.engines=pytorch,onnxruntime; -Dbench.batch=8;
 * -Dlivernode.onnxruntime.threads). Wall and process CPU seconds both, since the machine is shared.
 * Usage: InferenceBench MODEL_DIR [SLICES=64] [ROUNDS=3] [PROFILE_JSON]
 */
public final class InferenceBench {

    private static final int BATCH = Integer.getInteger("bench.batch", 8);

    private InferenceBench() {
    }

    public static void main(String[] args) throws Exception {
        Path modelDir = Path.of(args[0]);
        int slices = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        ai.djl.engine.Engine.getEngine("PyTorch");
        System.out.printf("libtorch intra-op threads %d, inter-op %d, grad mode %s, cores %d%n",
                JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(), JniUtils.isGradMode(),
                Runtime.getRuntime().availableProcessors());
        // BF16 is not measured: DJL 0.33's PyTorch JNI aborts the JVM on any BFLOAT16 tensor (README, Benchmarks).
        Timing peak;
        try (NDManager m = NDManager.newBaseManager()) {
            peak = matmulPeak(m, DataType.FLOAT32, 2048, 5);
        }
        System.out.printf("peak float32 matmul 2048^3: %.1f GFLOP/s wall, %.1f GFLOP per CPU-s%n", peak.perWall(),
                peak.perCpu());
        for (String name : System.getProperty("bench.engines", "pytorch,onnxruntime").split(",")) {
            InferenceEngine engine = InferenceEngine.forSettingName(name.trim());
            bench(modelDir, engine, slices, rounds, peak, engine == InferenceEngine.PYTORCH && args.length > 3 ? args[3] : null);
        }
    }

    /** Rounds of all slices through one engine, after one cold batch; profiled (libtorch only) into profileJson. */
    private static void bench(Path modelDir, InferenceEngine engine, int slices, int rounds, Timing peak,
                              String profileJson) throws Exception {
        long l0 = System.nanoTime();
        try (LiverPredictor predictor = LiverPredictor.load(modelDir, BATCH, false,
                !Boolean.getBoolean("bench.unfolded") || engine == InferenceEngine.ONNXRUNTIME, engine)) {
            System.out.printf("engine %s%s, batch %d: model loaded in %.2f s%n", engine.settingName(),
                    engine == InferenceEngine.ONNXRUNTIME ? " (intra-op threads " + OnnxSliceModel.threads()
                            + (OnnxSliceModel.spinning() ? ", spinning" : ", not spinning") + ")" : "",
                    BATCH, (System.nanoTime() - l0) / 1e9);
            ModelComplexity cx = ModelComplexity.of(predictor.card().architecture(), predictor.inputSize());
            System.out.printf("model %s %s: %.2f GFLOP per slice at %d x %d (512x512 slices are resized to it)%n",
                    predictor.card().name(), predictor.card().version(), cx.flops() / 1e9,
                    predictor.inputSize(), predictor.inputSize());
            SliceSegmenter segmenter = new SliceSegmenter(predictor, predictor.card().threshold());
            float[][] hu = phantom(slices, 512);
            long cold = System.nanoTime();
            segmenter.masks(copyOf(hu, BATCH), 512, 512);
            System.out.printf("first (cold) batch of %d: %.2f s wall%n", BATCH, (System.nanoTime() - cold) / 1e9);
            if (profileJson != null) {
                JniUtils.startProfile(false, true, false);
                segmenter.masks(copyOf(hu, 8), 512, 512);
                JniUtils.stopProfile(profileJson);
            }
            for (int r = 0; r < rounds; r++) {
                long w0 = System.nanoTime();
                long c0 = cpuNanos();
                for (int s = 0; s < slices; s += BATCH) {
                    segmenter.masks(java.util.Arrays.copyOfRange(hu, s, Math.min(slices, s + BATCH)), 512, 512);
                }
                double wall = (System.nanoTime() - w0) / 1e9 / slices;
                double cpu = (cpuNanos() - c0) / 1e9 / slices;
                System.out.printf("%s round %d: %.4f s/slice wall, %.4f CPU-s/slice; %.1f GFLOP/s wall (%.0f%% of peak),"
                        + " %.1f GFLOP per CPU-s (%.0f%% of peak)%n", engine.settingName(), r + 1, wall, cpu,
                        cx.flops() / 1e9 / wall, 100 * cx.flops() / 1e9 / wall / peak.perWall(), cx.flops() / 1e9 / cpu,
                        100 * cx.flops() / 1e9 / cpu / peak.perCpu());
            }
            // the network alone, on slices already at its input size: what the engine does of the path's time
            float[][] small = phantom(slices, predictor.inputSize());
            long w0 = System.nanoTime();
            long c0 = cpuNanos();
            predictor.liverProbability(small);
            double wall = (System.nanoTime() - w0) / 1e9 / slices;
            double cpu = (cpuNanos() - c0) / 1e9 / slices;
            System.out.printf("%s network alone: %.4f s/slice wall, %.4f CPU-s/slice; %.1f GFLOP/s wall (%.0f%% of peak)%n",
                    engine.settingName(), wall, cpu, cx.flops() / 1e9 / wall, 100 * cx.flops() / 1e9 / wall / peak.perWall());
        }
    }

    private record Timing(double gflop, double wall, double cpu) {
        double perWall() {
            return gflop / wall;
        }

        double perCpu() {
            return gflop / cpu;
        }
    }

    private static Timing matmulPeak(NDManager m, DataType type, int n, int reps) {
        try (NDManager sub = m.newSubManager()) {
            NDArray a = sub.randomUniform(-1, 1, new Shape(n, n)).toType(type, false);
            NDArray b = sub.randomUniform(-1, 1, new Shape(n, n)).toType(type, false);
            a.matMul(b).close();
            long w0 = System.nanoTime();
            long c0 = cpuNanos();
            for (int i = 0; i < reps; i++) {
                a.matMul(b).close();
            }
            return new Timing(2.0 * n * n * n * reps / 1e9, (System.nanoTime() - w0) / 1e9,
                    (cpuNanos() - c0) / 1e9);
        }
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** A body-like disc of soft tissue with a brighter ellipse (the content does not change the work done). */
    static float[][] phantom(int count, int size) {
        float[][] out = new float[count][size * size];
        for (int k = 0; k < count; k++) {
            for (int r = 0; r < size; r++) {
                for (int c = 0; c < size; c++) {
                    double dr = (r - size / 2.0) / (size * 0.4);
                    double dc = (c - size / 2.0) / (size * 0.45);
                    double er = (r - size * 0.45) / (size * 0.15);
                    double ec = (c - size * 0.35 - k) / (size * 0.2);
                    out[k][r * size + c] = dr * dr + dc * dc > 1 ? -1000f : er * er + ec * ec < 1 ? 60f : 20f;
                }
            }
        }
        return out;
    }

    private static float[][] copyOf(float[][] a, int n) {
        return java.util.Arrays.copyOfRange(a, 0, Math.min(n, a.length));
    }
}
