/**
 * New checkpoints from a configuration: random weights and word-level tokenizers in the Hugging Face
 * layout ({@code vidqa init-model}), the starting point of training a whole small model.
 */
package dev.vidqa.answerer.init;
