package dev.vidqa.answerer.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.answerer.LmSession;
import dev.vidqa.answerer.config.T5Config;
import dev.vidqa.answerer.generate.Generation;
import dev.vidqa.answerer.generate.GenerationOptions;
import dev.vidqa.answerer.generate.StopRules;
import dev.vidqa.answerer.t5.T5ForConditionalGeneration;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.Engines;
import dev.vidqa.qformer.config.JsonFields;
import dev.vidqa.qformer.weights.RandomCheckpoint;
import dev.vidqa.qformer.weights.WeightStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Decoding speed on a FlanT5-base-sized random configuration (d_model 768, 12+12 layers, gated
 * GELU, vocabulary 32128) with a 4-frame soft prompt (128 tokens) and a 12-token prompt: 10 new
 * tokens with the KV cache vs recomputing the whole sequence every step, at batch 1 and 8, and
 * tokens/s for greedy and 5-beam search. Also the memory after loading the (memory-mapped) model.
 */
public final class DecodeBenchmark {
    static final int NEW_TOKENS = 10;
    static final int SOFT_TOKENS = 128;
    static final int PROMPT_TOKENS = 12;

    public static final String T5_BASE_CONFIG = """
            {"model_type": "t5", "vocab_size": 32128, "d_model": 768, "d_kv": 64, "d_ff": 2048,
             "num_layers": 12, "num_decoder_layers": 12, "num_heads": 12, "feed_forward_proj": "gated-gelu",
             "tie_word_embeddings": false, "scale_decoder_outputs": false, "relative_attention_num_buckets": 32,
             "relative_attention_max_distance": 128, "layer_norm_epsilon": 1e-6}""";

    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? DeviceChoice.parse(args[0]) : DeviceChoice.AUTO, System.out);
    }

    public static void run(DeviceChoice choice, PrintStream out) throws Exception {
        Engines.ensureOffline();
        Device device = choice.resolve();
        T5Config config = T5Config.from(new JsonFields(new ObjectMapper().readTree(T5_BASE_CONFIG), "bench"));
        Path dir = Files.createTempDirectory("vidqa-t5-base");
        try {
            RandomCheckpoint.write(dir, "{}", s -> new T5ForConditionalGeneration(s.scope("language_model"), config), 7);
            long fileBytes = Files.size(dir.resolve(WeightStore.SINGLE_FILE));
            System.gc();
            long heapBefore = usedHeap();
            long rssBefore = residentBytes();
            try (WeightStore store = WeightStore.open(dir, device)) {
                T5ForConditionalGeneration t5 = new T5ForConditionalGeneration(store.scope("language_model"), config);
                store.seal();
                System.gc();
                out.printf("decode benchmark: FlanT5-base-sized random weights (d_model 768, 12+12 layers, vocab 32128),"
                        + " float32 on %s%n", device);
                out.printf("  checkpoint %.0f MB on disk; loading it: heap +%.1f MB; resident set of the process %.0f MB before,"
                        + " %.0f MB after (weights are memory-mapped: pages come in as they are used, never through the"
                        + " heap; run this benchmark alone for a clean figure)%n", fileBytes / 1e6,
                        (usedHeap() - heapBefore) / 1e6, rssBefore / 1e6, residentBytes() / 1e6);
                out.printf("  input: %d soft-prompt + %d prompt tokens, %d new tokens%n", SOFT_TOKENS, PROMPT_TOKENS,
                        NEW_TOKENS);
                for (int batch : new int[] {1, 8}) {
                    double cached = median(3, () -> greedyCached(t5, device, batch, 1));
                    double recompute = median(2, () -> greedyRecompute(t5, device, batch, false));
                    double recomputeAll = median(1, () -> greedyRecompute(t5, device, batch, true));
                    double beam = median(2, () -> greedyCached(t5, device, batch, 5));
                    int tokens = batch * NEW_TOKENS;
                    out.printf("  batch %d: greedy with KV cache %.2f s (%.1f tokens/s); recompute decoder each step %.2f s"
                            + " (cache %.1fx faster); recompute encoder+decoder each step %.2f s (cache %.1fx faster);"
                            + " beam 5 with cache %.2f s (%.1f tokens/s)%n", batch, cached, tokens / cached, recompute,
                            recompute / cached, recomputeAll, recomputeAll / cached, beam, tokens / beam);
                }
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** VmRSS of this process (Linux), or -1. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    interface Timed {
        void run() throws Exception;
    }

    static double median(int reps, Timed body) throws Exception {
        body.run(); // warm-up
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    static List<long[]> prompts(int batch) {
        List<long[]> p = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            long[] ids = new long[PROMPT_TOKENS];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 100 + 37L * (b + i) % 30000;
            }
            ids[ids.length - 1] = 1;
            p.add(ids);
        }
        return p;
    }

    static NDArray soft(NDManager m, int batch) {
        return m.randomNormal(0, 1, new Shape(batch, SOFT_TOKENS, 768), DataType.FLOAT32);
    }

    /** Exactly NEW_TOKENS tokens per row (no end token can stop them). */
    static void greedyCached(T5ForConditionalGeneration t5, Device device, int batch, int beams) {
        try (NDManager m = NDManager.newBaseManager(device); LmSession s = t5.start(m, soft(m, batch), prompts(batch))) {
            GenerationOptions o = new GenerationOptions(beams, NEW_TOKENS, 0, 1.0, 1.0, true, List.of(), List.of());
            List<long[]> ctx = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                ctx.add(new long[] {0});
            }
            Generation.generate(s, o, new StopRules(-1, List.of(), List.of(), null), ctx);
        }
    }

    /** Greedy without any cache: every step runs the decoder (and with {@code encoderToo}, the encoder) on everything. */
    static void greedyRecompute(T5ForConditionalGeneration t5, Device device, int batch, boolean encoderToo) {
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray soft = soft(m, batch);
            List<long[]> prompts = prompts(batch);
            long[][] dec = new long[batch][1];
            try (LmSession session = encoderToo ? null : t5.start(m, soft, prompts)) {
                for (int step = 0; step < NEW_TOKENS; step++) {
                    NDArray logits = encoderToo ? t5.logits(m, soft, prompts, dec) : t5.recomputeDecoder(session, dec);
                    int vocab = (int) logits.getShape().get(2);
                    float[] last = logits.get(":, -1, :").toFloatArray();
                    logits.close();
                    for (int b = 0; b < batch; b++) {
                        int best = 0;
                        for (int v = 1; v < vocab; v++) {
                            if (last[b * vocab + v] > last[b * vocab + best]) {
                                best = v;
                            }
                        }
                        dec[b] = Arrays.copyOf(dec[b], dec[b].length + 1);
                        dec[b][dec[b].length - 1] = best;
                    }
                }
            }
        }
    }

    static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }
}
