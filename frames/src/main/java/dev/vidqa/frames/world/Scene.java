package dev.vidqa.frames.world;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The ground truth of one generated clip (a line of {@code scenes.jsonl}): its file, timing,
 * size, backdrop and objects in drawing order (later objects are drawn over earlier ones).
 */
public record Scene(String video, double duration, int fps, int width, int height,
                    @JsonProperty("background") String backgroundDescription,
                    @JsonProperty("backdrop") Background background, List<WorldObject> objects) {

    public Scene {
        if (!(duration > 0) || fps <= 0 || width < 16 || height < 16) {
            throw new IllegalArgumentException("a scene needs a positive duration and fps and at least 16x16 pixels");
        }
        objects = List.copyOf(objects);
        backgroundDescription = background.describe();
    }

    public Scene(String video, double duration, int fps, int width, int height, Background background,
                 List<WorldObject> objects) {
        this(video, duration, fps, width, height, null, background, objects);
    }

    @JsonIgnore
    public int frameCount() {
        return (int) Math.round(duration * fps);
    }

    /** Objects on screen at time t. */
    public List<WorldObject> visibleAt(double t) {
        return objects.stream().filter(o -> o.visibleAt(t)).toList();
    }

    /** The object called "colour shape", if the scene has it. */
    public WorldObject find(Attributes.Colour c, Attributes.Shape s) {
        return objects.stream().filter(o -> o.color() == c && o.shape() == s).findFirst().orElse(null);
    }
}
