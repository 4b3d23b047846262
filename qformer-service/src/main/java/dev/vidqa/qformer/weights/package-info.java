/**
 * Checkpoint weights: safetensors files (memory-mapped, single or sharded), the weight store, random checkpoints and the writer.
 */
package dev.vidqa.qformer.weights;
