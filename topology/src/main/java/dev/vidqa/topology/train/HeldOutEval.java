package dev.vidqa.topology.train;

import ai.djl.pytorch.jni.JniUtils;
import dev.vidqa.answerer.Answer;
import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.qformer.FrameFeatures;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy on the held-out datasets, scored exactly as {@code vidqa eval} scores (VQA answer
 * normalisation; exact match, or iVQA's min(1, matches / 2)), with the evaluation prompt.
 */
public final class HeldOutEval {
    /** Accuracy in percent per dataset and overall, and how many questions each had. */
    public record Result(long step, Map<String, Double> accuracy, Map<String, Integer> counts, double overall) {}

    private final InstructBlipVideo model;
    private final List<TrainDataset> datasets;
    private final BatchMaker frames;
    private final AnswerOptions options;
    private final int limit;

    HeldOutEval(InstructBlipVideo model, List<TrainDataset> datasets, BatchMaker frames, AnswerOptions options, int limit) {
        this.model = model;
        this.datasets = datasets;
        this.frames = frames;
        this.options = options;
        this.limit = limit;
    }

    boolean isEmpty() {
        return datasets.isEmpty();
    }

    Result run(long step) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // inference: no graph through the trainable weights
        try {
            Map<String, Double> acc = new LinkedHashMap<>();
            Map<String, Integer> counts = new LinkedHashMap<>();
            double total = 0;
            int n = 0;
            for (TrainDataset d : datasets) {
                double sum = 0;
                int count = 0;
                List<TrainExample> items = d.present();
                for (TrainExample e : items.subList(0, Math.min(limit, items.size()))) {
                    List<FrameFeatures> f;
                    try {
                        f = frames.frames(e.video());
                        if (frames.storesPixels()) { // the vision encoder trains: encode with its current weights
                            f = List.of(model.encodeFrames(f.stream().map(FrameFeatures::data).toArray(float[][]::new)));
                        }
                    } catch (VideoDecodeException | IOException ex) {
                        continue; // counted among the skipped videos of the report
                    }
                    Answer a = model.answer(f, e.question(), options);
                    sum += d.format().score(a.text(), e.answers());
                    count++;
                }
                acc.put(d.name(), count == 0 ? 0 : 100 * sum / count);
                counts.put(d.name(), count);
                total += sum;
                n += count;
            }
            return new Result(step, acc, counts, n == 0 ? 0 : 100 * total / n);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }
}
