package dev.vidqa.topology.eval;

import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.frames.SamplingSpec;

/** How a dataset is evaluated: frames, decoding, prompt, and whether questions are pre-processed. */
public record EvalSettings(EvalDataset dataset, SamplingSpec sampling, AnswerOptions options, boolean preprocessQuestions) {}
