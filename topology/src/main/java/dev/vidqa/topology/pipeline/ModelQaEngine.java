package dev.vidqa.topology.pipeline;

import dev.vidqa.answerer.Answer;
import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.frames.ImagePreprocessor;
import dev.vidqa.qformer.FrameFeatures;
import dev.vidqa.qformer.serve.FeatureCache;
import dev.vidqa.qformer.serve.FrameEncoderService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The real model behind the stream: frame features come from a shared {@link FrameEncoderService}
 * (feature cache plus dynamic batching across stream threads); the instruction-aware Q-Former and
 * the language model run per question.
 */
public final class ModelQaEngine implements QaEngine {
    private final InstructBlipVideo model;
    private final FrameEncoderService encoder;
    private final ImagePreprocessor preprocessor;

    public ModelQaEngine(InstructBlipVideo model, long cacheBytes, int maxBatch, Duration maxWait, IntConsumer batchSizes) {
        this.model = model;
        this.preprocessor = new ImagePreprocessor(model.imageSize());
        this.encoder = new FrameEncoderService(model::encodeFrames, new FeatureCache(cacheBytes), maxBatch, maxWait,
                batchSizes);
    }

    public InstructBlipVideo model() {
        return model;
    }

    public FrameEncoderService encoder() {
        return encoder;
    }

    @Override
    public String name() {
        return model.name();
    }

    @Override
    public int imageSize() {
        return model.imageSize();
    }

    @Override
    public Answer answer(List<FrameRef> frames, String question, List<String> candidates, AnswerOptions options) {
        long t0 = System.nanoTime();
        List<FrameEncoderService.Request> requests = new ArrayList<>(frames.size());
        for (FrameRef f : frames) {
            requests.add(new FrameEncoderService.Request(f.key(), () -> preprocessor.normalize(f.rgb().get())));
        }
        List<FrameFeatures> features = encoder.encode(requests);
        double visionMs = (System.nanoTime() - t0) / 1e6;
        Answer a = candidates == null || candidates.isEmpty()
                ? model.answer(features, question, options)
                : model.rank(features, question, candidates, options);
        return new Answer(a.text(), a.score(), a.tokenIds(), a.finishReason(), a.timings().plusVision(visionMs),
                a.candidates());
    }

    @Override
    public void close() {
        encoder.close();
        model.close();
    }
}
