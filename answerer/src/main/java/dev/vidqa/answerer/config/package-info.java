/**
 * The language models' configurations, read from {@code text_config}.
 */
package dev.vidqa.answerer.config;
