/**
 * Checkpoint configuration ({@code config.json}): typed, validated records and bounded JSON reading.
 */
package dev.vidqa.qformer.config;
