package dev.vidqa.topology.eval;

import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.topology.pipeline.AnswerSettings;

/** How a dataset is evaluated: frames, decoding and prompt ({@link AnswerSettings}), and whether questions are pre-processed. */
public record EvalSettings(EvalDataset dataset, AnswerSettings answer, boolean preprocessQuestions) {

    public SamplingSpec sampling() {
        return answer.samplingSpec();
    }

    public AnswerOptions options() {
        return answer.options();
    }
}
