package dev.vidqa.frames.world;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.vidqa.frames.world.Attributes.Colour;
import dev.vidqa.frames.world.Attributes.Shape;
import java.util.List;
import java.util.Locale;

/**
 * Which part of the world a clip belongs to. Training clips never show a held-out attribute
 * combination and their questions never use a held-out phrasing; held-out clips show them, so
 * evaluation measures generalisation to both.
 */
public enum WorldSplit {
    TRAIN, HELDOUT;

    /** Colour-shape pairs that no training clip contains. */
    public static final List<Combo> HELD_OUT_COMBOS = List.of(
            new Combo(Colour.GREEN, Shape.TRIANGLE), new Combo(Colour.BLUE, Shape.CIRCLE),
            new Combo(Colour.YELLOW, Shape.SQUARE));

    /** A colour with a shape. */
    public record Combo(Colour color, Shape shape) {
        public boolean heldOut() {
            return HELD_OUT_COMBOS.contains(this);
        }
    }

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WorldSplit parse(String s) {
        for (WorldSplit v : values()) {
            if (v.word().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown --split '" + s + "' (train or heldout)");
    }
}
