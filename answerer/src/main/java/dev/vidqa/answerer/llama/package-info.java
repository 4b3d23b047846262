/**
 * LLaMA / Vicuna ({@code language_model.*} keys of LLaMA checkpoints): one class per checkpoint block, rotary embeddings, and the per-request session with its KV cache.
 */
package dev.vidqa.answerer.llama;
