/**
 * The language-model decoding benchmark (KV cache against recomputation).
 */
package dev.vidqa.answerer.bench;
