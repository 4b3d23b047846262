/**
 * Instruction tuning on DJL's autograd: which weights train ({@link dev.vidqa.answerer.train.TrainableParts},
 * {@link dev.vidqa.answerer.train.Parameters}), the loss with Hugging Face's {@code labels} semantics
 * ({@link dev.vidqa.answerer.train.InstructionLoss}), AdamW and the warm-up + cosine schedule, one
 * optimisation step ({@link dev.vidqa.answerer.train.Trainer}) and Hugging Face checkpoints with optimiser state
 * ({@link dev.vidqa.answerer.train.CheckpointWriter}); auxiliary per-position targets for pretraining a
 * part of the model ({@link dev.vidqa.answerer.train.LinearHeads}, {@link dev.vidqa.answerer.train.HeadTrainer}).
 * It knows the model, not videos or datasets: those are
 * {@code dev.vidqa.topology.train}'s. Depends on the model classes of this module and {@code qformer-service}.
 */
package dev.vidqa.answerer.train;
