package dev.vidqa.topology.train;

import dev.vidqa.answerer.train.TrainBatch;
import java.util.List;

/** The micro-batches of one optimisation step, with the videos that had to be skipped to fill them. */
record PreparedStep(long step, List<TrainBatch> microBatches, List<String> skipped) {}
