package dev.vidqa.frames.world;

import dev.vidqa.frames.world.Attributes.Colour;
import dev.vidqa.frames.world.Attributes.Motion;
import dev.vidqa.frames.world.Attributes.Shape;
import dev.vidqa.frames.world.Attributes.Size;

/**
 * One object of a scene: what it is, when it is on screen ({@code enter <= t < leave}, seconds)
 * and where: its centre starts at ({@code x}, {@code y}) (fractions of the frame's width and
 * height) when it enters and moves by {@code speed} of the frame's extent per second along
 * {@code motion}.
 */
public record WorldObject(Shape shape, Colour color, Size size, Motion motion, double enter, double leave,
                          double x, double y, double speed) {

    public WorldObject {
        if (shape == null || color == null || size == null || motion == null) {
            throw new IllegalArgumentException("an object needs shape, color, size and motion");
        }
        if (!(enter >= 0) || !(leave > enter)) {
            throw new IllegalArgumentException("an object needs 0 <= enter < leave, got " + enter + ".." + leave);
        }
        if (!(speed >= 0)) {
            throw new IllegalArgumentException("speed must not be negative, got " + speed);
        }
    }

    public boolean visibleAt(double t) {
        return t >= enter && t < leave;
    }

    /** Centre at time t as fractions of (width, height). */
    public double[] centreAt(double t) {
        double d = speed * (Math.max(t, enter) - enter);
        return new double[] {x + motion.dx * d, y + motion.dy * d};
    }

    /** "red circle": how questions name it (colour and shape identify an object within a scene). */
    public String name() {
        return color.word() + " " + shape.word();
    }
}
