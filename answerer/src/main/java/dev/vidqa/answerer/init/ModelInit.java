package dev.vidqa.answerer.init;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidqa.answerer.config.LlamaConfig;
import dev.vidqa.answerer.config.T5Config;
import dev.vidqa.answerer.llama.LlamaForCausalLM;
import dev.vidqa.answerer.t5.T5ForConditionalGeneration;
import dev.vidqa.qformer.VideoQFormer;
import dev.vidqa.qformer.config.InstructBlipConfig;
import dev.vidqa.qformer.config.JsonFields;
import dev.vidqa.qformer.config.JsonFiles;
import dev.vidqa.qformer.weights.RandomCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code vidqa init-model}: a new InstructBLIP-video checkpoint with random weights for a given
 * configuration, and word-level tokenizers built from a vocabulary list, in the Hugging Face
 * layout ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json},
 * {@code qformer_tokenizer/tokenizer.json}) — the starting point of {@code vidqa train --train all}.
 *
 * <p>The configuration's vocabulary sizes and special ids are set from the tokenizers, so the
 * embeddings match the words exactly.
 */
public final class ModelInit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelInit() {}

    public static void write(Path configJson, List<String> words, Path out, long seed) throws IOException {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("the vocabulary is empty");
        }
        if (Files.exists(out.resolve("model.safetensors"))) {
            throw new IllegalArgumentException(out + " already holds a model; choose a new --out");
        }
        if (!(JsonFiles.read(configJson, JsonFiles.SMALL) instanceof ObjectNode cfg)) {
            throw new IllegalArgumentException(configJson + ": not a JSON object");
        }
        ObjectNode text = (ObjectNode) cfg.get("text_config");
        ObjectNode qformer = (ObjectNode) cfg.get("qformer_config");
        if (text == null || qformer == null || cfg.get("vision_config") == null) {
            throw new IllegalArgumentException(configJson + ": needs vision_config, qformer_config and text_config");
        }
        boolean t5 = text.path("model_type").asText("").equals("t5");
        WordLevelTokenizers.Vocabulary lm = t5 ? WordLevelTokenizers.t5(words) : WordLevelTokenizers.llama(words);
        WordLevelTokenizers.Vocabulary bert = WordLevelTokenizers.bert(words);
        Files.createDirectories(out);
        if (t5) {
            WordLevelTokenizers.write(out.resolve("tokenizer.json"), lm, List.of(), List.of("</s>"), "<unk>");
            text.put("pad_token_id", lm.id("<pad>")).put("eos_token_id", lm.id("</s>"))
                    .put("decoder_start_token_id", lm.id("<pad>")).put("tie_word_embeddings", false)
                    .put("scale_decoder_outputs", false);
        } else {
            WordLevelTokenizers.write(out.resolve("tokenizer.json"), lm, List.of("<s>"), List.of(), "<unk>");
            text.put("pad_token_id", lm.id("<pad>")).put("bos_token_id", lm.id("<s>")).put("eos_token_id", lm.id("</s>"))
                    .put("tie_word_embeddings", false);
        }
        text.put("vocab_size", lm.size());
        WordLevelTokenizers.write(out.resolve("qformer_tokenizer/tokenizer.json"), bert, List.of("[CLS]"),
                List.of("[SEP]"), "[UNK]");
        qformer.put("vocab_size", bert.size()).put("pad_token_id", bert.id("[PAD]"));
        cfg.put("video_token_index", lm.id("<video>"));
        String configText = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cfg);
        InstructBlipConfig c = InstructBlipConfig.parse(new JsonFields(cfg, out.resolve("config.json").toString()));
        RandomCheckpoint.write(out, configText, store -> {
            VideoQFormer.build(c, store, out);
            if (t5) {
                new T5ForConditionalGeneration(store.scope("language_model"), T5Config.from(c.text()));
            } else {
                new LlamaForCausalLM(store.scope("language_model"), LlamaConfig.from(c.text()));
            }
        }, seed);
    }
}
