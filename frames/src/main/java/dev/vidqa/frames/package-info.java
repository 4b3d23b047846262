/**
 * Module {@code frames} (base: depends on JavaCV/FFmpeg and Jackson only, never on another vidqa
 * module). Owns turning video into frames: decoding files, byte chunks and live URLs
 * ({@link dev.vidqa.frames.VideoDecoder}: the API and the sampling strategies;
 * {@code OpenVideo}: one FFmpeg context under the limits; {@code LiveCapture}: a window of a live
 * source; {@link dev.vidqa.frames.VideoSource}) within {@link dev.vidqa.frames.DecodeLimits}; choosing frames ({@link dev.vidqa.frames.SamplingSpec},
 * {@link dev.vidqa.frames.FrameSelector}); the models' preprocessing
 * ({@link dev.vidqa.frames.ImagePreprocessor}, PIL-exact resampling); synthetic test video; and the
 * generated world ({@code dev.vidqa.frames.world}).
 */
package dev.vidqa.frames;
