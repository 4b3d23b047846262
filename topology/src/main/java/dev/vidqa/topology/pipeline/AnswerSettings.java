package dev.vidqa.topology.pipeline;

import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.answerer.generate.GenerationOptions;
import dev.vidqa.frames.Sampling;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.qformer.config.ConfigException;
import dev.vidqa.qformer.config.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a question is answered: which frames, how the language model decodes, the prompt. The one
 * place the defaults live ({@link #DEFAULTS}: the paper's video QA settings); a model directory may
 * carry its own in {@value #MODEL_FILE} ({@code {"answer": {"frames": 8}}}: a model trained on 8
 * frames answers from 8 by default); every entry point then applies its overrides on top, by the
 * same keys: {@code vidqa.answer.KEY} properties of {@code vidqa run}, {@code --KEY} options of the
 * commands, and a question's {@code options}.
 *
 * @param frames frames per question for uniform and headtail sampling
 * @param fps frames per second of stream time for fps sampling
 * @param maxFrames the most frames fps sampling takes (bounds the cost of a long window)
 */
public record AnswerSettings(Sampling sampling, int frames, double fps, int maxFrames, GenerationOptions generation,
                             String prompt, int rankChunk) {
    public static final String MODEL_FILE = "vidqa.json";

    /** Every key, in the order the configuration reference lists them. */
    public static final List<String> KEYS = List.of("sampling", "frames", "fps", "max-frames", "beams",
            "max-new-tokens", "min-new-tokens", "length-penalty", "repetition-penalty", "early-stopping", "prompt",
            "rank-chunk");

    public static final AnswerSettings DEFAULTS = new AnswerSettings(Sampling.UNIFORM, 4, 1.0, 32,
            GenerationOptions.videoQa(), AnswerOptions.DEFAULT_TEMPLATE, 32);

    public AnswerSettings {
        if (sampling == null || generation == null) {
            throw new IllegalArgumentException("answer settings need a sampling and generation options");
        }
        if (frames < 1 || frames > SamplingSpec.MAX_FRAMES || maxFrames < 1 || maxFrames > SamplingSpec.MAX_FRAMES) {
            throw new IllegalArgumentException("frames and max-frames must be 1.." + SamplingSpec.MAX_FRAMES
                    + ", got " + frames + " and " + maxFrames);
        }
        if (!(fps > 0) || fps > 1000) {
            throw new IllegalArgumentException("fps must be in (0, 1000], got " + fps);
        }
        new AnswerOptions(generation, prompt, rankChunk); // validates prompt and rank chunk
    }

    public SamplingSpec samplingSpec() {
        return sampling == Sampling.FPS ? SamplingSpec.fps(fps, maxFrames) : new SamplingSpec(sampling, frames, 0);
    }

    public AnswerOptions options() {
        return new AnswerOptions(generation, prompt, rankChunk);
    }

    /** Every setting by its key: what {@code vidqa.answer.KEY} properties must say to reproduce these settings. */
    public Map<String, String> asKeys() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sampling", sampling.name().toLowerCase(Locale.ROOT));
        m.put("frames", Integer.toString(frames));
        m.put("fps", Double.toString(fps));
        m.put("max-frames", Integer.toString(maxFrames));
        m.put("beams", Integer.toString(generation.numBeams()));
        m.put("max-new-tokens", Integer.toString(generation.maxNewTokens()));
        m.put("min-new-tokens", Integer.toString(generation.minNewTokens()));
        m.put("length-penalty", Double.toString(generation.lengthPenalty()));
        m.put("repetition-penalty", Double.toString(generation.repetitionPenalty()));
        m.put("early-stopping", Boolean.toString(generation.earlyStopping()));
        m.put("prompt", prompt);
        m.put("rank-chunk", Integer.toString(rankChunk));
        return m;
    }

    /** {@link #DEFAULTS} with the model directory's own settings, if it has any. */
    public static AnswerSettings forModel(Path modelDir) {
        return DEFAULTS.withOverrides(modelKeys(modelDir));
    }

    /** The settings a model directory declares in {@value #MODEL_FILE} (none when it has no such file). */
    public static Map<String, String> modelKeys(Path modelDir) {
        Map<String, String> keys = new LinkedHashMap<>();
        Path file = modelDir == null ? null : modelDir.resolve(MODEL_FILE);
        if (file == null || !Files.isRegularFile(file)) {
            return keys;
        }
        try {
            JsonFiles.read(file, JsonFiles.SMALL).path("answer").fields()
                    .forEachRemaining(e -> keys.put(e.getKey(), e.getValue().asText()));
            DEFAULTS.withOverrides(keys); // refuse a bad file here, naming it
        } catch (ConfigException | java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        return keys;
    }

    /** These settings with the given keys ({@link #KEYS}) replaced; an unknown key or a bad value is refused. */
    public AnswerSettings withOverrides(Map<String, String> keys) {
        Sampling s = sampling;
        int n = frames;
        double f = fps;
        int cap = maxFrames;
        GenerationOptions g = generation;
        String p = prompt;
        int chunk = rankChunk;
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String v = e.getValue() == null ? null : e.getValue().strip();
            if (v == null) {
                continue;
            }
            try {
                switch (e.getKey()) {
                    case "sampling" -> s = Sampling.parse(v);
                    case "frames" -> n = Integer.parseInt(v);
                    case "fps" -> f = Double.parseDouble(v);
                    case "max-frames" -> cap = Integer.parseInt(v);
                    case "beams" -> g = g.withNumBeams(Integer.parseInt(v));
                    case "max-new-tokens" -> g = g.withMaxNewTokens(Integer.parseInt(v));
                    case "min-new-tokens" -> g = g.withMinNewTokens(Integer.parseInt(v));
                    case "length-penalty" -> g = g.withLengthPenalty(Double.parseDouble(v));
                    case "repetition-penalty" -> g = g.withRepetitionPenalty(Double.parseDouble(v));
                    case "early-stopping" -> g = g.withEarlyStopping(bool(v));
                    case "prompt" -> p = e.getValue();
                    case "rank-chunk" -> chunk = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown answer setting '" + e.getKey() + "' (known: "
                            + String.join(", ", KEYS) + ")");
                }
            } catch (NumberFormatException bad) {
                throw new IllegalArgumentException("answer setting '" + e.getKey() + "': not a number: '" + v + "'");
            }
        }
        return new AnswerSettings(s, n, f, cap, g, p, chunk);
    }

    private static boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not true or false: '" + v + "'");
        };
    }
}
