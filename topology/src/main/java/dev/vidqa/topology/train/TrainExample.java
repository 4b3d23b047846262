package dev.vidqa.topology.train;

import java.nio.file.Path;
import java.util.List;

/**
 * One labelled question about a video, from any training or held-out dataset.
 *
 * @param video the file, or null when the dataset names a video that is not there
 * @param answers one or more acceptable answers (one is drawn as the training target)
 * @param task selects the instruction templates ({@code videoqa} unless the data says otherwise)
 */
public record TrainExample(String dataset, String id, String videoKey, Path video, String question,
                           List<String> answers, String task) {
    public static final String DEFAULT_TASK = "videoqa";

    public TrainExample {
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException(dataset + " item " + id + ": empty question");
        }
        if (answers == null || answers.isEmpty() || answers.stream().anyMatch(a -> a == null || a.isBlank())) {
            throw new IllegalArgumentException(dataset + " item " + id + ": no answer");
        }
        answers = List.copyOf(answers);
        task = task == null || task.isBlank() ? DEFAULT_TASK : task;
    }
}
