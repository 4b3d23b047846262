package dev.vidqa.answerer.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.qformer.QFormerTokenizer;
import dev.vidqa.qformer.config.JsonFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The language model's tokenizer ({@code tokenizer.json} of the checkpoint) through DJL's
 * Hugging Face tokenizers, offline. Prompts get the tokenizer's own special tokens (T5 appends
 * {@code </s>}, LLaMA prepends {@code <s>}); answers are decoded without special tokens, trimmed.
 */
public final class LmTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Long> addedTokens;
    private final Set<Long> specialIds;

    private LmTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Long> addedTokens, Set<Long> specialIds) {
        this.tokenizer = tokenizer;
        this.addedTokens = addedTokens;
        this.specialIds = specialIds;
    }

    public static LmTokenizer load(Path checkpointDir) {
        Path file = checkpointDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " does not exist: vidqa reads the language model's tokenizer"
                    + " from the checkpoint's tokenizer.json (save it with tokenizer.save_pretrained)");
        }
        Map<String, Long> added = new HashMap<>();
        Set<Long> special = new HashSet<>();
        try {
            JsonNode root = JsonFiles.read(file, JsonFiles.TOKENIZER);
            JsonNode list = root.get("added_tokens");
            if (list != null) {
                for (JsonNode t : list) {
                    long id = t.get("id").asLong();
                    added.put(t.get("content").asText(), id);
                    if (t.path("special").asBoolean(false)) {
                        special.add(id);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new LmTokenizer(QFormerTokenizer.Tokenizers.open(file), added, special);
    }

    /** Token ids of a prompt, with the tokenizer's special tokens. */
    public long[] encode(String text) {
        return tokenizer.encode(text).getIds();
    }

    /** Token ids without special tokens (candidate answers, stop strings). */
    public long[] encodePlain(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    /** Text of {@code ids} without special tokens, trimmed. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true).trim();
    }

    /** The id of an added (special) token such as {@code </s>}, or null. */
    public Long addedTokenId(String content) {
        return addedTokens.get(content);
    }

    public boolean isSpecial(long id) {
        return specialIds.contains(id);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
