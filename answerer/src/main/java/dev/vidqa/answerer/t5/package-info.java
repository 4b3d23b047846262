/**
 * FlanT5 ({@code language_model.*} keys of T5 checkpoints): one class per checkpoint block, and the per-request session with its KV cache.
 */
package dev.vidqa.answerer.t5;
