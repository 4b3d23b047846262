package dev.vidqa.qformer.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.Engines;
import dev.vidqa.qformer.config.VisionConfig;
import dev.vidqa.qformer.vision.VisionModel;
import dev.vidqa.qformer.weights.RandomCheckpoint;
import dev.vidqa.qformer.weights.WeightStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The vision encoder on a ViT-B-sized random configuration (hidden 768, 12 layers, 12 heads,
 * 224 px, patch 14) at batch 1 and 8: frames/s next to this machine's float32 GEMM throughput
 * measured in the same run, and their ratio (model FLOP/s / GEMM FLOP/s).
 */
public final class VisionBenchmark {

    public static final VisionConfig VIT_B = new VisionConfig(768, 3072, 12, 12, 224, 14, 1e-6, "gelu", true);

    /** Multiply-adds x2 of one frame through the encoder. */
    public static double flopsPerFrame(VisionConfig c) {
        double l = c.seqLength();
        double d = c.hiddenSize();
        double ff = c.intermediateSize();
        double patch = 2.0 * c.numPatches() * 3 * c.patchSize() * c.patchSize() * d;
        double perLayer = 2 * l * d * 3 * d // qkv
                + 2 * l * l * d * 2 // scores and context
                + 2 * l * d * d // projection
                + 2 * 2 * l * d * ff; // fc1, fc2
        return patch + c.numHiddenLayers() * perLayer;
    }

    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? DeviceChoice.parse(args[0]) : DeviceChoice.AUTO, System.out);
    }

    public static void run(DeviceChoice choice, PrintStream out) throws Exception {
        Engines.ensureOffline();
        Device device = choice.resolve();
        VisionConfig c = VIT_B;
        Path dir = Files.createTempDirectory("vidqa-vit-b");
        try {
            RandomCheckpoint.write(dir, "{}", s -> new VisionModel(s.scope("vision_model"), c), 42);
            try (WeightStore store = WeightStore.open(dir, device)) {
                VisionModel model = new VisionModel(store.scope("vision_model"), c);
                store.seal();
                double gemm = Gemm.peak(device);
                out.printf("vision encoder benchmark: ViT-B-sized random weights (hidden %d, %d layers, %d px,"
                        + " patch %d, %d tokens), float32 on %s, %d intra-op threads%n", c.hiddenSize(),
                        c.numHiddenLayers(), c.imageSize(), c.patchSize(), c.seqLength(), device,
                        Runtime.getRuntime().availableProcessors());
                out.printf("  float32 GEMM (best of 1024^3, 2048^3): %.1f GFLOP/s%n", gemm / 1e9);
                out.printf("  model: %.2f GFLOP per frame%n", flopsPerFrame(c) / 1e9);
                for (int batch : new int[] {1, 8}) {
                    double sec = time(model, device, batch, batch == 1 ? 5 : 3);
                    double fps = batch / sec;
                    double modelFlops = fps * flopsPerFrame(c);
                    out.printf("  batch %d: %.3f s per batch, %.2f frames/s, %.1f GFLOP/s, ratio to GEMM %.2f%n",
                            batch, sec, fps, modelFlops / 1e9, modelFlops / gemm);
                }
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Median seconds per forward pass after one warm-up. */
    static double time(VisionModel model, Device device, int batch, int reps) {
        double[] t = new double[reps];
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray pixels = m.randomNormal(0, 1, new Shape(batch, 3, 224, 224), DataType.FLOAT32);
            model.forward(pixels).close(); // warm-up
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                NDArray out = model.forward(pixels);
                out.getFloat(0, 0, 0);
                t[r] = (System.nanoTime() - t0) / 1e9;
                out.close();
            }
        }
        Arrays.sort(t);
        return t[reps / 2];
    }
}
