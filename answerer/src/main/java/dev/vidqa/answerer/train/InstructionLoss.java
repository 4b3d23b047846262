package dev.vidqa.answerer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.llama.LlamaForCausalLM;
import dev.vidqa.answerer.t5.T5ForConditionalGeneration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The instruction-tuning loss: cross-entropy of the answer tokens given the video and the prompt,
 * with Hugging Face's {@code labels} semantics. The soft prompt is computed inside the graph, so
 * the gradient flows back through the frozen language model into the projection, the Q-Former
 * and the query tokens (and, with {@link TrainableParts#ALL}, the vision encoder).
 *
 * <ul>
 *   <li>T5: {@code labels} (B,La) right-padded with {@value #IGNORE}; decoder input = start token +
 *       {@code labels[:, :-1]} with {@value #IGNORE} replaced by pad; mean over labelled positions.
 *   <li>LLaMA: sequence = [soft prompt ; prompt ; answer]; logits at t predict token t+1; the sum
 *       over every answer token of every row divided by the number of answer tokens.
 * </ul>
 */
public final class InstructionLoss {
    /** Hugging Face's ignore index for labels. */
    public static final long IGNORE = CrossEntropy.IGNORE;

    private final InstructBlipVideo model;

    public InstructionLoss(InstructBlipVideo model) {
        this.model = model;
    }

    /** Tokenises one example the way the reference trains: prompt text to both tokenizers, answer to labels. */
    public EncodedExample encode(String prompt, String answer, int framesPerVideo) {
        return encode(prompt, prompt, answer, framesPerVideo);
    }

    /**
     * An example whose Q-Former instruction and LM prompt differ (training augmentations that
     * hide words from one of them); at inference both read the same prompt.
     */
    public EncodedExample encode(String instruction, String lmPrompt, String answer, int framesPerVideo) {
        return encode(instruction, lmPrompt, answer, framesPerVideo, java.util.List.of());
    }

    /** As above, with words left out of the answer's first softmax ({@link AnswerExclusions}; their first tokens). */
    public EncodedExample encode(String instruction, String lmPrompt, String answer, int framesPerVideo,
                                 List<String> excluded) {
        long[] promptIds = model.promptIds(lmPrompt, framesPerVideo, 0);
        long[] answerIds = model.answerIds(answer, InstructBlipVideo.MAX_PROMPT_TOKENS, "the answer");
        long[] left = excluded.stream().mapToLong(w -> model.answerIds(w, InstructBlipVideo.MAX_PROMPT_TOKENS,
                "an excluded answer")[0]).filter(id -> id != answerIds[0]).distinct().toArray();
        return new EncodedExample(model.instructionIds(instruction), promptIds, answerIds, left);
    }

    /** Result of one forward pass: the scalar loss (in the graph) and how many tokens it averages. */
    public record Value(NDArray loss, int tokens) {}

    /**
     * The loss of B examples from the frozen vision encoder's output.
     *
     * @param visionFeatures (B*T,Lv,Dv) video-major; or, with {@code pixels}, (B,T,3,S,S) frames
     */
    public Value fromFeatures(NDArray visionFeatures, List<EncodedExample> batch, int framesPerVideo) {
        List<long[]> instructions = batch.stream().map(EncodedExample::instruction).toList();
        NDArray soft = model.vision().prompt(visionFeatures, instructions, framesPerVideo);
        return fromSoftPrompt(soft, batch);
    }

    /** The loss from pixels (B,T,3,S,S): the vision encoder runs inside the graph. */
    public Value fromPixels(NDArray pixels, List<EncodedExample> batch) {
        List<long[]> instructions = batch.stream().map(EncodedExample::instruction).toList();
        NDArray soft = model.vision().prompt(pixels, instructions);
        return fromSoftPrompt(soft, batch);
    }

    /** The loss given the soft prompts (B, T*nq, D). */
    public Value fromSoftPrompt(NDArray soft, List<EncodedExample> batch) {
        NDManager m = soft.getManager();
        List<long[]> prompts = batch.stream().map(EncodedExample::prompt).toList();
        int rows = batch.size();
        int la = batch.stream().mapToInt(e -> e.answer().length).max().orElseThrow();
        NDArray logits; // (B, La, V): the logits that predict each answer position
        long[] targets = new long[rows * la];
        Arrays.fill(targets, IGNORE);
        long[][] excluded = new long[rows * la][];
        boolean anyExcluded = false;
        if (model.languageModel() instanceof T5ForConditionalGeneration t5) {
            long start = t5.config().decoderStartTokenId();
            long pad = t5.config().padTokenId();
            long[][] decoderIds = new long[rows][la];
            for (int r = 0; r < rows; r++) {
                long[] a = batch.get(r).answer();
                decoderIds[r][0] = start;
                for (int i = 0; i < la; i++) {
                    if (i + 1 < la) {
                        decoderIds[r][i + 1] = i < a.length ? a[i] : pad; // labels shifted right, -100 -> pad
                    }
                    if (i < a.length) {
                        targets[r * la + i] = a[i];
                    }
                }
                excluded[r * la] = batch.get(r).excluded();
                anyExcluded |= batch.get(r).excluded().length > 0;
            }
            logits = t5.logits(m, soft, prompts, decoderIds);
        } else {
            LlamaForCausalLM llama = (LlamaForCausalLM) model.languageModel();
            List<long[]> sequences = new ArrayList<>();
            for (EncodedExample e : batch) {
                long[] s = Arrays.copyOf(e.prompt(), e.prompt().length + e.answer().length);
                System.arraycopy(e.answer(), 0, s, e.prompt().length, e.answer().length);
                sequences.add(s);
            }
            // (B, P+L, V), rows left-padded so that they all end at the last position
            NDArray all = llama.logits(m, soft, sequences);
            long len = all.getShape().get(1);
            // the last La+1 positions: position t predicts t+1, so positions len-1-La .. len-2
            logits = all.get(new NDIndex(":, {}:{}, :", len - 1 - la, len - 1));
            for (int r = 0; r < rows; r++) {
                long[] a = batch.get(r).answer();
                // row r's answer is right-aligned in the window of La positions
                for (int i = 0; i < a.length; i++) {
                    targets[r * la + (la - a.length) + i] = a[i];
                }
                excluded[r * la + (la - a.length)] = batch.get(r).excluded();
                anyExcluded |= batch.get(r).excluded().length > 0;
            }
        }
        // logits (B,La,V), targets B*La; the mask only when some example leaves words out (else the plain loss)
        CrossEntropy.Value v = CrossEntropy.mean(logits, targets, anyExcluded ? excluded : null);
        return new Value(v.loss(), v.count());
    }
}
