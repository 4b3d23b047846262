/**
 * The decoding benchmark (against the ffmpeg command line).
 */
package dev.vidqa.frames.bench;
