package dev.vidqa.topology.eval;

import java.util.Locale;

/** The annotation formats {@code vidqa eval} reads, with the original evaluation's settings for each. */
public enum EvalDataset {
    /** MSVD-QA: JSON list of {video_id (int), question, answer, id}; videos named via youtube_mapping.txt. */
    MSVD_QA(30, false),
    /** MSRVTT-QA: JSON list of {video_id ("video7010"), question, answer, id}. */
    MSRVTT_QA(10, false),
    /** iVQA: CSV with video_id, start, end, question, answer1..answer5; accuracy min(1, matches / 2). */
    IVQA(10, true),
    /** One JSON object per line: {video, question, answer or answers, candidates?, id?}. */
    JSONL(10, false);

    private final int maxNewTokens;
    private final boolean multiReference;

    EvalDataset(int maxNewTokens, boolean multiReference) {
        this.maxNewTokens = maxNewTokens;
        this.multiReference = multiReference;
    }

    /** The original evaluation's answer length for this dataset. */
    public int maxNewTokens() {
        return maxNewTokens;
    }

    /** Scored with iVQA's {@code min(1, matches / 2)} rather than exact match. */
    public boolean multiReference() {
        return multiReference;
    }

    /** A prediction's score against the references: iVQA's {@code min(1, matches / 2)}, else exact match. */
    public double score(String prediction, java.util.List<String> references) {
        return multiReference ? dev.vidqa.answerer.eval.Accuracy.ivqa(prediction, references)
                : dev.vidqa.answerer.eval.Accuracy.exactMatch(prediction, references);
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static EvalDataset parse(String s) {
        for (EvalDataset d : values()) {
            if (d.cliName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + s + "' (msvd-qa, msrvtt-qa, ivqa or jsonl)");
    }
}
