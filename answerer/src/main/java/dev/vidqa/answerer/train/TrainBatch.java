package dev.vidqa.answerer.train;

import dev.vidqa.qformer.FrameFeatures;
import java.util.List;

/**
 * A micro-batch of B examples with their videos, all with the same number of frames: either the
 * frozen vision encoder's stored output per frame ({@code features}) or, when the vision encoder
 * trains too, the preprocessed frames ({@code pixels}, CHW float32 each).
 */
public record TrainBatch(List<EncodedExample> examples, List<List<FrameFeatures>> features, List<float[][]> pixels) {
    public TrainBatch {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        if ((features == null) == (pixels == null)) {
            throw new IllegalArgumentException("a batch holds either features or pixels");
        }
        int videos = features != null ? features.size() : pixels.size();
        if (videos != examples.size()) {
            throw new IllegalArgumentException(videos + " videos for " + examples.size() + " examples");
        }
    }

    public static TrainBatch ofFeatures(List<EncodedExample> examples, List<List<FrameFeatures>> features) {
        return new TrainBatch(examples, features, null);
    }

    public static TrainBatch ofPixels(List<EncodedExample> examples, List<float[][]> pixels) {
        return new TrainBatch(examples, null, pixels);
    }

    public int size() {
        return examples.size();
    }

    public int framesPerVideo() {
        return features != null ? features.get(0).size() : pixels.get(0).length;
    }
}
