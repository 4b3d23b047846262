package dev.vidqa.qformer.weights;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Writes a random-weight checkpoint for any configuration, for benchmarks: the model is built once
 * on a {@link WeightStore#recording recording store} to learn its keys and shapes, then every
 * tensor is generated straight into a {@code model.safetensors} (never whole in memory).
 *
 * <p>Values are scaled so activations stay in a normal float range (no NaN, no denormals, which
 * would distort timings): matrices N(0, 1/fan_in), 1-D {@code weight}s 1, biases 0.
 */
public final class RandomCheckpoint {
    private RandomCheckpoint() {}

    /**
     * @param dir created if needed; receives {@code config.json} and {@code model.safetensors}
     * @param configJson the checkpoint's config.json text
     * @param build builds the model's blocks on the given store (loading every weight)
     */
    public static Map<String, long[]> write(Path dir, String configJson, Consumer<WeightStore> build, long seed)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), configJson);
        Map<String, long[]> shapes;
        try (WeightStore rec = WeightStore.recording(Device.cpu())) {
            build.accept(rec);
            shapes = Map.copyOf(new java.util.LinkedHashMap<>(rec.recorded()));
            SafetensorsWriter w = new SafetensorsWriter();
            SplittableRandom root = new SplittableRandom(seed);
            for (Map.Entry<String, long[]> e : rec.recorded().entrySet()) {
                String key = e.getKey();
                long[] shape = e.getValue();
                SplittableRandom rnd = root.split();
                w.add(key, StorageType.F32, shape, out -> fill(out, key, shape, rnd));
            }
            w.write(dir.resolve(WeightStore.SINGLE_FILE));
        }
        return shapes;
    }

    private static void fill(java.nio.ByteBuffer out, String key, long[] shape, SplittableRandom rnd) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (shape.length == 1) {
            float v = key.endsWith("bias") ? 0f : 1f;
            for (long i = 0; i < n; i++) {
                out.putFloat(v);
            }
            return;
        }
        long fanIn = shape[shape.length - 1];
        double std = key.contains("embed") || key.contains("shared") ? 1.0 : 1.0 / Math.sqrt(fanIn);
        for (long i = 0; i < n; i++) {
            out.putFloat((float) (gaussian(rnd) * std));
        }
    }

    /** Irwin–Hall approximation of N(0,1): fast, and the exact distribution does not matter here. */
    private static double gaussian(SplittableRandom r) {
        double s = 0;
        for (int i = 0; i < 4; i++) {
            s += r.nextDouble();
        }
        return (s - 2.0) * Math.sqrt(3.0);
    }
}
