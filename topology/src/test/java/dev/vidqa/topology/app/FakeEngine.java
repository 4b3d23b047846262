package dev.vidqa.topology.app;

import dev.vidqa.answerer.Answer;
import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.answerer.PromptTooLongException;
import dev.vidqa.answerer.generate.FinishReason;
import dev.vidqa.topology.pipeline.QaEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fast stand-in for the model: answers with the times of the frames it was given, ranks
 * candidates by length, and enforces a 20-word prompt limit, so tests can check which frames
 * reached the model and how errors flow; a question starting with "crash" fails inside it; "is it
 * late?" is answered "yes" when its newest frame is from 3 s on (for watches).
 */
final class FakeEngine implements QaEngine {
    final AtomicInteger calls = new AtomicInteger();
    /** The feature keys of the frames of every call, in order. */
    final List<List<String>> frameKeys = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public int imageSize() {
        return 8;
    }

    @Override
    public Answer answer(List<FrameRef> frames, String question, List<String> candidates, AnswerOptions options) {
        calls.incrementAndGet();
        frameKeys.add(frames.stream().map(FrameRef::key).toList());
        if (question.equals("is it late?")) { // "yes" once the newest frame it sees is from 3 s on
            boolean late = !frames.isEmpty() && frames.get(frames.size() - 1).time() >= 3.0;
            return new Answer(late ? "yes" : "no", 0, new long[] {1}, FinishReason.EOS, new Answer.Timings(0, 0, 0, 0, 1),
                    List.of());
        }
        if (question.startsWith("crash")) {
            throw new IllegalArgumentException("a defect inside the engine"); // not the asker's fault
        }
        int words = options.prompt(question).split("\\s+").length;
        if (words > 20) {
            throw new PromptTooLongException(words, 20, "the prompt");
        }
        for (FrameRef f : frames) {
            if (f.rgb().get().length != 8 * 8 * 3) {
                throw new IllegalStateException("frame not stored at the model's size");
            }
        }
        StringBuilder text = new StringBuilder("frames");
        for (FrameRef f : frames) {
            text.append(String.format(" %.2f", f.time()));
        }
        List<Answer.RankedCandidate> ranked = new ArrayList<>();
        if (candidates != null && !candidates.isEmpty()) {
            List<String> sorted = new ArrayList<>(candidates);
            sorted.sort((a, b) -> Integer.compare(a.length(), b.length()));
            for (String c : sorted) {
                ranked.add(new Answer.RankedCandidate(c, -c.length()));
            }
            return new Answer(sorted.get(0), -sorted.get(0).length(), new long[0], null,
                    new Answer.Timings(0, 0, 0, 0, 1), ranked);
        }
        return new Answer(text.toString(), frames.size(), new long[] {1, 2}, FinishReason.EOS,
                new Answer.Timings(0, 0, 0, 0, 1), ranked);
    }
}
