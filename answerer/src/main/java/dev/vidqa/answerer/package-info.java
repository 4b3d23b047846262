/**
 * Module {@code answerer} (depends on {@code qformer-service}). Owns the language models and what is
 * done with them: FlanT5 and LLaMA/Vicuna with a KV cache ({@code t5}, {@code llama}, {@code nn}),
 * their tokenizers ({@code tokenize}), generation and candidate ranking ({@code generate}), answer
 * normalisation and scoring ({@code eval}), the whole model ({@link dev.vidqa.answerer.InstructBlipVideo}:
 * immutable weights, per-request {@link dev.vidqa.answerer.LmSession}s), training ({@code train}) and
 * new models from scratch ({@code init}). Knows nothing of Kafka, video files or datasets.
 */
package dev.vidqa.answerer;
