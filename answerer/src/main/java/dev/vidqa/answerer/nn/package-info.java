/**
 * Building blocks shared by the language models: attention masks, RMSNorm, activations, KV caches.
 */
package dev.vidqa.answerer.nn;
