package dev.vidqa.answerer.init;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Word-level tokenizers in Hugging Face's {@code tokenizer.json} format for small models trained
 * from scratch: lower-cased words and punctuation marks from a vocabulary list, special tokens at
 * fixed ids. Written in the layout real checkpoints use, so the same loaders read them.
 */
public final class WordLevelTokenizers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WordLevelTokenizers() {}

    /** The ids of a written tokenizer: the vocabulary, in id order, and its special tokens. */
    public record Vocabulary(List<String> tokens, Map<String, Integer> specials) {
        public int size() {
            return tokens.size();
        }

        public int id(String special) {
            return specials.get(special);
        }
    }

    /** T5-style: {@code <pad>}=0, {@code </s>}=1, {@code <unk>}=2, words, then {@code <video>}; appends {@code </s>}. */
    public static Vocabulary t5(List<String> words) {
        return vocabulary(List.of("<pad>", "</s>", "<unk>"), words, "<video>");
    }

    /** LLaMA-style: {@code <unk>}=0, {@code <s>}=1, {@code </s>}=2, {@code <pad>}=3, words, {@code <video>}; prepends {@code <s>}. */
    public static Vocabulary llama(List<String> words) {
        return vocabulary(List.of("<unk>", "<s>", "</s>", "<pad>"), words, "<video>");
    }

    /** BERT-style for the Q-Former: {@code [PAD]}=0, {@code [UNK]}, {@code [CLS]}, {@code [SEP]}, words; {@code [CLS] .. [SEP]}. */
    public static Vocabulary bert(List<String> words) {
        return vocabulary(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]"), words, null);
    }

    private static Vocabulary vocabulary(List<String> head, List<String> words, String tail) {
        List<String> tokens = new ArrayList<>(head);
        for (String w : words) {
            String t = w.strip().toLowerCase(Locale.ROOT);
            if (!t.isEmpty() && !t.contains(" ") && !tokens.contains(t)) {
                tokens.add(t);
            }
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        for (String h : head) {
            specials.put(h, tokens.indexOf(h));
        }
        if (tail != null) {
            specials.put(tail, tokens.size());
            tokens.add(tail);
        }
        return new Vocabulary(List.copyOf(tokens), Map.copyOf(specials));
    }

    /**
     * Writes {@code file}. {@code before}/{@code after} are the special tokens the post-processor
     * puts around a single sequence; {@code unk} replaces unknown words.
     */
    public static void write(Path file, Vocabulary v, List<String> before, List<String> after, String unk)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        v.specials().entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> added.addObject()
                .put("id", e.getValue()).put("content", e.getKey()).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", true));
        root.putObject("normalizer").put("type", "Lowercase");
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        for (String s : before) {
            single.addObject().putObject("SpecialToken").put("id", s).put("type_id", 0);
        }
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        for (String s : after) {
            single.addObject().putObject("SpecialToken").put("id", s).put("type_id", 0);
        }
        ArrayNode pair = post.putArray("pair");
        pair.addAll(single.deepCopy());
        ObjectNode specials = post.putObject("special_tokens");
        for (String s : concat(before, after)) {
            ObjectNode t = specials.putObject(s);
            t.put("id", s);
            t.putArray("ids").add(v.id(s));
            t.putArray("tokens").add(s);
        }
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < v.size(); i++) {
            vocab.put(v.tokens().get(i), i);
        }
        model.put("unk_token", unk);
        Files.createDirectories(file.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        for (String s : b) {
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
