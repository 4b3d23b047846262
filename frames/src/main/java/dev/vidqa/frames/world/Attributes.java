package dev.vidqa.frames.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The attributes an object of the generated world has: each a word of the answer language. */
public final class Attributes {
    private Attributes() {}

    /** Outline of an object. */
    public enum Shape {
        CIRCLE, SQUARE, TRIANGLE;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Shape of(String w) {
            return valueOf(w.trim().toUpperCase(Locale.ROOT));
        }

        /** The shape a (lower-case) word names, or null when it names none. */
        public static Shape named(String word) {
            for (Shape v : values()) {
                if (v.word().equals(word)) {
                    return v;
                }
            }
            return null;
        }
    }

    /** Fill colour: saturated, far from any background the generator paints. */
    public enum Colour {
        RED(225, 35, 35), GREEN(35, 200, 60), BLUE(45, 85, 235), YELLOW(235, 220, 40), WHITE(245, 245, 245);

        public final int r;
        public final int g;
        public final int b;

        Colour(int r, int g, int b) {
            this.r = r;
            this.g = g;
            this.b = b;
        }

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Colour of(String w) {
            return valueOf(w.trim().toUpperCase(Locale.ROOT));
        }

        /** The colour a (lower-case) word names, or null when it names none. */
        public static Colour named(String word) {
            for (Colour v : values()) {
                if (v.word().equals(word)) {
                    return v;
                }
            }
            return null;
        }
    }

    /** Radius as a fraction of the frame height. */
    public enum Size {
        SMALL(0.095), LARGE(0.15);

        public final double radius;

        Size(double radius) {
            this.radius = radius;
        }

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Size of(String w) {
            return valueOf(w.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** Direction of travel in image coordinates (y grows downwards). */
    public enum Motion {
        LEFT(-1, 0), RIGHT(1, 0), UP(0, -1), DOWN(0, 1), NONE(0, 0);

        public final int dx;
        public final int dy;

        Motion(int dx, int dy) {
            this.dx = dx;
            this.dy = dy;
        }

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Motion of(String w) {
            return valueOf(w.trim().toUpperCase(Locale.ROOT));
        }
    }
}
