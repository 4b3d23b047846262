/**
 * The language models' tokenizers (Hugging Face {@code tokenizer.json}) and their special tokens.
 */
package dev.vidqa.answerer.tokenize;
