package dev.vidqa.qformer.config;

import static dev.vidqa.qformer.config.JsonFields.require;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A checkpoint's {@code config.json} ({@code instructblip} or {@code instructblipvideo}). The
 * language model's {@code text_config} is kept as JSON: the answerer reads it into its own record.
 *
 * @param videoTokenIndex the placeholder id the reference scatters the soft prompt into; null in
 *     older configs, where the soft prompt is simply prepended (which is equivalent)
 * @param numFramePositions vidqa's extension {@code num_frame_positions}: rows of a learned table
 *     added to each frame's soft-prompt tokens by where the frame lies in the sampled window; 0
 *     (absent, as in every Hugging Face checkpoint) for none
 */
public record InstructBlipConfig(
        String modelType,
        VisionConfig vision,
        QFormerConfig qformer,
        JsonFields text,
        String textModelType,
        int numQueryTokens,
        Integer videoTokenIndex,
        Integer imageTokenIndex,
        boolean decoderOnlyLanguageModel,
        int numFramePositions) {

    public static final String FILE = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public InstructBlipConfig {
        require(modelType.equals("instructblip") || modelType.equals("instructblipvideo"), FILE,
                "model_type '" + modelType + "' is not an InstructBLIP checkpoint (expected instructblip or"
                        + " instructblipvideo)");
        require(numQueryTokens > 0, FILE, "num_query_tokens must be positive");
        require(numFramePositions >= 0, FILE, "num_frame_positions must not be negative");
        require(vision.hiddenSize() == qformer.encoderHiddenSize(), FILE,
                "qformer_config.encoder_hidden_size " + qformer.encoderHiddenSize()
                        + " differs from vision_config.hidden_size " + vision.hiddenSize());
        require(textModelType.equals("t5") || textModelType.equals("llama"), FILE,
                "text_config.model_type '" + textModelType + "' is not supported (t5 or llama)");
    }

    /** Width of the language model's embeddings: the soft prompt's last dimension. */
    public int lmHiddenSize() {
        return textModelType.equals("t5") ? text.intOr("d_model", 512) : text.intOr("hidden_size", 4096);
    }

    public static InstructBlipConfig read(Path dir) {
        Path file = dir.resolve(FILE);
        JsonNode root;
        try {
            if (!Files.exists(file)) {
                throw new NoSuchFileException(file.toString());
            }
            root = JsonFiles.read(file, JsonFiles.SMALL);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + " does not exist (expected a Hugging Face InstructBLIP checkpoint directory)");
        } catch (IOException e) {
            throw new ConfigException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        return parse(new JsonFields(root, file.toString()));
    }

    public static InstructBlipConfig parse(JsonFields j) {
        JsonFields text = j.object("text_config");
        String textType = text.stringOr("model_type", null);
        require(textType != null, j.where(), "text_config.model_type is missing");
        return new InstructBlipConfig(
                j.stringOr("model_type", "instructblip"),
                VisionConfig.from(j.object("vision_config")),
                QFormerConfig.from(j.object("qformer_config")),
                text,
                textType,
                j.intOr("num_query_tokens", 32),
                j.intOrNull("video_token_index"),
                j.intOrNull("image_token_index"),
                j.boolOr("use_decoder_only_language_model", textType.equals("llama")),
                j.intOr("num_frame_positions", 0));
    }
}
