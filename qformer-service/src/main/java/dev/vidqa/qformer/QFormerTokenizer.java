package dev.vidqa.qformer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Q-Former's BERT WordPiece tokenizer ({@code qformer_tokenizer/tokenizer.json}). Instructions
 * longer than {@link #MAX_LENGTH} tokens are truncated from the left, keeping {@code [CLS]} and
 * {@code [SEP]}, as the original InstructBLIP does (the question sits at the end of the prompt).
 */
public final class QFormerTokenizer implements AutoCloseable {
    /** LAVIS' {@code max_txt_len} for the Q-Former. */
    public static final int MAX_LENGTH = 128;

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;

    private QFormerTokenizer(HuggingFaceTokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    /** Loads {@code dir/qformer_tokenizer/tokenizer.json}. */
    public static QFormerTokenizer load(Path checkpointDir) {
        return load(checkpointDir, MAX_LENGTH);
    }

    public static QFormerTokenizer load(Path checkpointDir, int maxLength) {
        Path file = checkpointDir.resolve("qformer_tokenizer").resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " does not exist: an InstructBLIP checkpoint ships the"
                    + " Q-Former's tokenizer in qformer_tokenizer/");
        }
        dev.vidqa.qformer.config.JsonFiles.checkReadable(file, dev.vidqa.qformer.config.JsonFiles.TOKENIZER);
        return new QFormerTokenizer(Tokenizers.open(file), maxLength);
    }

    /** Token ids with {@code [CLS]}/{@code [SEP]}, at most {@code maxLength}, cut from the left. */
    public long[] encode(String instruction) {
        Encoding e = tokenizer.encode(instruction);
        long[] ids = e.getIds();
        if (ids.length <= maxLength) {
            return ids;
        }
        long[] out = new long[maxLength];
        out[0] = ids[0];
        System.arraycopy(ids, ids.length - (maxLength - 1), out, 1, maxLength - 1);
        return out;
    }

    /** How many tokens {@code instruction} has before truncation. */
    public int countTokens(String instruction) {
        return tokenizer.encode(instruction).getIds().length;
    }

    public int maxLength() {
        return maxLength;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /** Tokenizer construction shared with the language-model tokenizers. */
    public static final class Tokenizers {
        private Tokenizers() {}

        /** Opens a {@code tokenizer.json} offline, with no truncation or padding of its own. */
        public static HuggingFaceTokenizer open(Path tokenizerJson) {
            Engines.ensureOffline();
            try {
                return HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                        "addSpecialTokens", "true",
                        "truncation", "false",
                        "padding", "false",
                        "modelMaxLength", Integer.toString(Integer.MAX_VALUE / 2)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
            }
        }
    }
}
