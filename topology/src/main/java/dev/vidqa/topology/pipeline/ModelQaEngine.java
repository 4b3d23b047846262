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
    private final int maxQuestionBatch;

    public ModelQaEngine(InstructBlipVideo model, long cacheBytes, int maxBatch, Duration maxWait, IntConsumer batchSizes) {
        this(model, cacheBytes, maxBatch, maxWait, batchSizes, 8);
    }

    /**
     * @param maxBatch frames per vision-encoder batch
     * @param maxQuestionBatch questions per language-model batch
     */
    public ModelQaEngine(InstructBlipVideo model, long cacheBytes, int maxBatch, Duration maxWait, IntConsumer batchSizes,
                         int maxQuestionBatch) {
        this.maxQuestionBatch = Math.max(1, maxQuestionBatch);
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
        Answer a = model.respond(features, question, candidates, options);
        return a.withVisionMs(visionMs);
    }

    /**
     * Generation questions with the same decoding settings and frame count are answered together:
     * one Q-Former pass and one language-model batch (rows = questions x beams) instead of one per
     * question. Rankings, and batches that fail as a whole, are answered one by one.
     */
    @Override
    public List<Outcome> answerAll(List<Request> requests) {
        Outcome[] out = new Outcome[requests.size()];
        java.util.Map<String, List<Integer>> groups = new java.util.LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            if (r.candidates() == null || r.candidates().isEmpty()) {
                groups.computeIfAbsent(r.options() + "/" + r.frames().size(), k -> new ArrayList<>()).add(i);
            } else {
                out[i] = single(r);
            }
        }
        for (List<Integer> group : groups.values()) {
            for (int from = 0; from < group.size(); from += maxQuestionBatch) {
                List<Integer> part = group.subList(from, Math.min(group.size(), from + maxQuestionBatch));
                if (part.size() == 1) {
                    out[part.get(0)] = single(requests.get(part.get(0)));
                    continue;
                }
                try {
                    List<Answer> answers = batch(part.stream().map(requests::get).toList());
                    for (int j = 0; j < part.size(); j++) {
                        out[part.get(j)] = new Outcome(answers.get(j), null);
                    }
                } catch (RuntimeException e) {
                    // e.g. one question over the token limit: find out which, answer the others
                    for (int i : part) {
                        out[i] = single(requests.get(i));
                    }
                }
            }
        }
        return List.of(out);
    }

    private Outcome single(Request r) {
        try {
            return new Outcome(answer(r.frames(), r.question(), r.candidates(), r.options()), null);
        } catch (RuntimeException e) {
            return new Outcome(null, e);
        }
    }

    private List<Answer> batch(List<Request> rs) {
        long t0 = System.nanoTime();
        List<List<FrameFeatures>> videos = new ArrayList<>();
        List<FrameEncoderService.Request> all = new ArrayList<>();
        for (Request r : rs) {
            for (FrameRef f : r.frames()) {
                all.add(new FrameEncoderService.Request(f.key(), () -> preprocessor.normalize(f.rgb().get())));
            }
        }
        List<FrameFeatures> features = encoder.encode(all);
        int at = 0;
        for (Request r : rs) {
            videos.add(features.subList(at, at + r.frames().size()));
            at += r.frames().size();
        }
        double visionMs = (System.nanoTime() - t0) / 1e6;
        List<Answer> answers = model.answer(videos, rs.stream().map(Request::question).toList(), rs.get(0).options());
        List<Answer> out = new ArrayList<>();
        for (Answer a : answers) {
            out.add(a.withVisionMs(visionMs));
        }
        return out;
    }

    @Override
    public void close() {
        encoder.close();
        model.close();
    }
}
