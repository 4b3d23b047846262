/**
 * {@code vidqa train --recipe world}: the seeded, resumable road from nothing to the shipped world
 * model — the world's clips, a new tiny InstructBLIP-video, the vision encoder pretrained on dense
 * per-patch targets ({@link dev.vidqa.topology.train.world.VisionPretraining}), the Q-Former taught
 * to describe each frame and the object a question names
 * ({@link dev.vidqa.topology.train.world.QFormerPretraining}), then the question stages through
 * {@link dev.vidqa.topology.train.TrainRun}, the held-out evaluation and the model card.
 */
package dev.vidqa.topology.train.world;
