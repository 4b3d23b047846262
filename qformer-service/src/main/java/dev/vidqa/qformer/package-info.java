/**
 * Module {@code qformer-service} (base: depends on DJL/PyTorch and Jackson only, never on another
 * vidqa module). Owns the vision side of InstructBLIP: checkpoints in the Hugging Face layout
 * ({@code weights}: safetensors, memory-mapped; {@code config}), the frozen vision encoder
 * ({@code vision}), the instruction-aware Q-Former ({@code transformer}), the projection and the
 * soft prompt ({@link dev.vidqa.qformer.VideoQFormer}), the tensor building blocks ({@code nn}) and
 * serving the encoder: batching and the frame-feature caches ({@code serve}).
 */
package dev.vidqa.qformer;
