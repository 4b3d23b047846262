package dev.vidqa.qformer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vidqa.qformer.config.InstructBlipConfig;
import dev.vidqa.qformer.nn.Linear;
import dev.vidqa.qformer.transformer.QFormerModel;
import dev.vidqa.qformer.vision.VisionModel;
import dev.vidqa.qformer.weights.WeightStore;
import dev.vidqa.qformer.weights.Weights;
import java.nio.file.Path;
import java.util.List;

/**
 * The vision side of InstructBLIP: the frozen vision encoder, the learned query tokens, the
 * instruction-aware Q-Former and the projection into the language model's embedding space.
 *
 * <p>It is used in two stages because the first one does not depend on the question:
 * <ol>
 *   <li>{@link #encodeFrames}: pixels to vision features, once per frame (cacheable);
 *   <li>{@link #prompt}: features plus an instruction to the soft prompt, once per question.
 * </ol>
 * The weights are shared and immutable; every call works in the {@link NDManager} of its inputs.
 */
public final class VideoQFormer implements AutoCloseable {

    /** Key prefixes this class loads; everything else in a checkpoint belongs to the language model. */
    public static final String[] KEY_PREFIXES = {"vision_model.", "qformer.", "query_tokens", "language_projection.",
        "frame_position_embeddings."};

    private final InstructBlipConfig config;
    private final VisionModel vision_model;
    private final NDArray query_tokens; // (1,nq,Dq)
    private final QFormerModel qformer;
    private final Linear language_projection;
    private final NDArray frame_position_embeddings; // (R,Dlm), or null: only with num_frame_positions > 0
    private final QFormerTokenizer tokenizer;
    private final WeightStore ownedStore; // non-null when this instance owns its weights

    private VideoQFormer(InstructBlipConfig c, Weights root, QFormerTokenizer tokenizer, WeightStore ownedStore) {
        this.config = c;
        this.vision_model = new VisionModel(root.child("vision_model"), c.vision());
        this.query_tokens = root.get("query_tokens", 1, c.numQueryTokens(), c.qformer().hiddenSize());
        this.qformer = new QFormerModel(root.child("qformer"), c.qformer());
        this.language_projection =
                Linear.load(root, "language_projection", c.lmHiddenSize(), c.qformer().hiddenSize(), true);
        this.frame_position_embeddings = c.numFramePositions() == 0 ? null
                : root.child("frame_position_embeddings").get("weight", c.numFramePositions(), c.lmHiddenSize());
        this.tokenizer = tokenizer;
        this.ownedStore = ownedStore;
    }

    /** Loads the vision side of the checkpoint in {@code dir} alone (the language model stays on disk). */
    public static VideoQFormer load(Path dir, DeviceChoice device) {
        InstructBlipConfig config = InstructBlipConfig.read(dir);
        Device d = device.resolve();
        WeightStore store = WeightStore.open(dir, d);
        try {
            VideoQFormer model = new VideoQFormer(config, store.scope(""), QFormerTokenizer.load(dir), store);
            store.requireAllConsumed(KEY_PREFIXES);
            store.seal();
            return model;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Builds the vision side over a store that the caller owns and seals (the full model loader,
     * which also loads the language model from the same store).
     */
    public static VideoQFormer build(InstructBlipConfig config, WeightStore store, Path dir) {
        return new VideoQFormer(config, store.scope(""), QFormerTokenizer.load(dir), null);
    }

    /** Stage 1, question-independent: pixels (N,3,S,S) -> vision features (N,1+patches,Dv). */
    public NDArray encodeFrames(NDArray pixels) {
        return vision_model.forward(pixels);
    }

    /** The Q-Former's outputs for a batch of frames. */
    public record QueryOutputs(NDArray lastHiddenState, NDArray projected) {}

    /**
     * Runs the instruction-aware Q-Former on frame features.
     *
     * @param frames (N,Lv,Dv) vision features, one row per frame
     * @param inputIds (N,L) instruction ids for each frame, right-padded
     * @param attentionMask (N,L) 1 for real tokens, 0 for padding
     * @return last hidden state (N,nq+L,Dq) and projected query outputs (N,nq,Dlm)
     */
    public QueryOutputs queryFrames(NDArray frames, NDArray inputIds, NDArray attentionMask) {
        long n = frames.getShape().get(0);
        NDManager m = frames.getManager();
        // (1,nq,Dq) -> (N,nq,Dq), created in the request's manager
        NDArray queries = m.zeros(new Shape(n, config.numQueryTokens(), config.qformer().hiddenSize()),
                frames.getDataType()).add(query_tokens);
        NDArray hidden = qformer.forward(queries, inputIds, attentionMask, frames);
        NDArray queryOut = hidden.get(":, :" + config.numQueryTokens() + ", :");
        return new QueryOutputs(hidden, language_projection.forward(queryOut));
    }

    /**
     * Stage 2, per question: B videos of T frames each and one instruction per video -> the soft
     * prompts (B, T*nq, Dlm), each video's per-frame query outputs concatenated in frame order.
     *
     * @param frames (B*T,Lv,Dv) vision features, video-major
     * @param instructions B tokenised instructions (see {@link #tokenizer()})
     */
    public NDArray prompt(NDArray frames, List<long[]> instructions, int framesPerVideo) {
        return prompt(frames, instructions, framesPerVideo, null);
    }

    /** As {@link #prompt(NDArray, List, int)}, also returning the Q-Former outputs to {@code sink}. */
    public NDArray prompt(NDArray frames, List<long[]> instructions, int framesPerVideo,
                          java.util.function.Consumer<QueryOutputs> sink) {
        int b = instructions.size();
        long n = frames.getShape().get(0);
        if (n != (long) b * framesPerVideo) {
            throw new IllegalArgumentException(n + " frame features for " + b + " videos of " + framesPerVideo
                    + " frames");
        }
        NDManager m = frames.getManager();
        // Each frame sees its video's instruction: repeat ids per frame, right-pad to the longest.
        int len = instructions.stream().mapToInt(a -> a.length).max().orElse(0);
        long[] ids = new long[(int) n * len];
        long[] mask = new long[(int) n * len];
        long pad = config.qformer().padTokenId();
        for (int v = 0; v < b; v++) {
            long[] ins = instructions.get(v);
            for (int t = 0; t < framesPerVideo; t++) {
                int row = (v * framesPerVideo + t) * len;
                for (int i = 0; i < len; i++) {
                    ids[row + i] = i < ins.length ? ins[i] : pad;
                    mask[row + i] = i < ins.length ? 1 : 0;
                }
            }
        }
        Shape shape = new Shape(n, len);
        QueryOutputs out = queryFrames(frames, m.create(ids, shape), m.create(mask, shape));
        if (sink != null) {
            sink.accept(out);
        }
        // (B*T,nq,Dlm) -> (B,T,nq,Dlm) [+ (1,T,1,Dlm) where in the window each frame lies] -> (B,T*nq,Dlm)
        NDArray projected = out.projected().reshape(b, framesPerVideo, config.numQueryTokens(), config.lmHiddenSize());
        if (frame_position_embeddings != null) {
            projected = projected.add(framePositions(m, framesPerVideo));
        }
        return projected.reshape(b, (long) framesPerVideo * config.numQueryTokens(), config.lmHiddenSize());
    }

    /**
     * The table's rows for T frames, (1,T,1,Dlm): frame t takes row round(t (R-1) / (T-1)), its
     * place between the window's first and last frame, so any number of frames reads the same
     * scale (the first frame row 0, the last row R-1). The Q-Former sees each frame alone and T5
     * knows positions only relative to each other; without this the LM has no sure way to tell
     * the first frame from the last ("at the beginning", "which way does it move").
     */
    private NDArray framePositions(NDManager m, int frames) {
        int rows = config.numFramePositions();
        float[] oneHot = new float[frames * rows];
        for (int t = 0; t < frames; t++) {
            int row = frames == 1 ? 0 : (int) Math.round(t * (rows - 1) / (double) (frames - 1));
            oneHot[t * rows + row] = 1f;
        }
        // (T,R) x (R,Dlm) -> (T,Dlm): a product, so that training reaches the rows it used
        NDArray picked = m.create(oneHot, new Shape(frames, rows)).toType(frame_position_embeddings.getDataType(), false)
                .matMul(frame_position_embeddings);
        return picked.reshape(1, frames, 1, config.lmHiddenSize());
    }

    /** Frames' pixels for B videos to prompts, both stages at once (no cache). */
    public NDArray prompt(NDArray pixels, List<long[]> instructions) {
        Shape s = pixels.getShape();
        if (s.dimension() != 5) {
            throw new IllegalArgumentException("expected pixel values (B,T,3,H,W), got " + s);
        }
        int frames = (int) s.get(1);
        NDArray features = encodeFrames(pixels.reshape(s.get(0) * s.get(1), s.get(2), s.get(3), s.get(4)));
        return prompt(features, instructions, frames);
    }

    /**
     * Stage 1 on plain arrays: frames (each CHW float32 of side {@code image_size}) to features,
     * in one batch, within a request manager of its own.
     */
    public FrameFeatures[] encode(float[][] pixels) {
        Engines.useThreadLimit(); // this thread may not be the one that started the engine
        int s = config.vision().imageSize();
        int n = pixels.length;
        float[] flat = new float[n * 3 * s * s];
        for (int i = 0; i < n; i++) {
            if (pixels[i].length != 3 * s * s) {
                throw new IllegalArgumentException("frame " + i + " has " + pixels[i].length + " values; this model"
                        + " expects 3x" + s + "x" + s + " = " + 3 * s * s);
            }
            System.arraycopy(pixels[i], 0, flat, i * 3 * s * s, 3 * s * s);
        }
        try (NDManager m = NDManager.newBaseManager(device())) {
            NDArray out = encodeFrames(m.create(flat, new Shape(n, 3, s, s)));
            float[] data = out.toFloatArray();
            int tokens = (int) out.getShape().get(1);
            int dim = (int) out.getShape().get(2);
            FrameFeatures[] result = new FrameFeatures[n];
            for (int i = 0; i < n; i++) {
                float[] f = new float[tokens * dim];
                System.arraycopy(data, i * tokens * dim, f, 0, f.length);
                result[i] = new FrameFeatures(f, tokens, dim);
            }
            return result;
        }
    }

    /** Features of B videos of T frames each, as one (B*T,Lv,Dv) array in {@code m}. */
    public NDArray stack(NDManager m, List<List<FrameFeatures>> videos) {
        int frames = videos.get(0).size();
        FrameFeatures first = videos.get(0).get(0);
        int per = first.tokens() * first.dim();
        float[] flat = new float[videos.size() * frames * per];
        int at = 0;
        for (List<FrameFeatures> video : videos) {
            if (video.size() != frames) {
                throw new IllegalArgumentException("videos in one batch must have the same number of frames ("
                        + frames + " vs " + video.size() + ")");
            }
            for (FrameFeatures f : video) {
                if (f.tokens() != first.tokens() || f.dim() != first.dim()) {
                    throw new IllegalArgumentException("frame features of different shapes in one batch");
                }
                System.arraycopy(f.data(), 0, flat, at, per);
                at += per;
            }
        }
        return m.create(flat, new Shape((long) videos.size() * frames, first.tokens(), first.dim()));
    }

    public QFormerTokenizer tokenizer() {
        return tokenizer;
    }

    /** The vision encoder (for pretraining it on its own). */
    public VisionModel visionModel() {
        return vision_model;
    }

    public InstructBlipConfig config() {
        return config;
    }

    public Device device() {
        return query_tokens.getDevice();
    }

    /** Float type of the model's activations. */
    public DataType dataType() {
        return query_tokens.getDataType();
    }

    @Override
    public void close() {
        tokenizer.close();
        if (ownedStore != null) {
            ownedStore.close();
        }
    }
}
