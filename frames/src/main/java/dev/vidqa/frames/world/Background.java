package dev.vidqa.frames.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A scene's backdrop: a dark, desaturated base colour (never close to an object colour), a
 * texture of the given kind and contrast, and fresh per-pixel noise in every frame.
 */
public record Background(Texture texture, int r, int g, int b, int contrast, int noise, long seed) {

    /** Pattern painted over the base colour. */
    public enum Texture {
        PLAIN, STRIPES, CHECKER, BLOTCHES;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Texture of(String w) {
            return valueOf(w.trim().toUpperCase(Locale.ROOT));
        }
    }

    public Background {
        if (texture == null || r < 0 || g < 0 || b < 0 || r > 255 || g > 255 || b > 255 || contrast < 0 || noise < 0) {
            throw new IllegalArgumentException("background needs a texture, colour channels 0..255 and"
                    + " non-negative contrast and noise");
        }
    }

    /** What scenes.jsonl prints as {@code background}: "stripes #50463c, contrast 14, noise 9". */
    public String describe() {
        return String.format(Locale.ROOT, "%s #%02x%02x%02x, contrast %d, noise %d", texture.word(), r, g, b,
                contrast, noise);
    }
}
