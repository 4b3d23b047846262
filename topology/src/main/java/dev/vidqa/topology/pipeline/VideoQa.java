package dev.vidqa.topology.pipeline;

import dev.vidqa.answerer.Answer;
import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.frames.DecodedFrame;
import dev.vidqa.frames.ImagePreprocessor;
import dev.vidqa.frames.SampledVideo;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.qformer.FrameFeatures;
import java.time.Duration;
import java.util.List;

/**
 * The whole path for one clip, used by the command line and the evaluation: decode and sample
 * frames, preprocess them for the checkpoint, encode them, then answer or rank.
 */
public final class VideoQa {
    private final InstructBlipVideo model;
    private final VideoDecoder decoder;
    private final ImagePreprocessor preprocessor;

    public VideoQa(InstructBlipVideo model, VideoDecoder decoder) {
        this.model = model;
        this.decoder = decoder;
        this.preprocessor = new ImagePreprocessor(model.imageSize());
    }

    public InstructBlipVideo model() {
        return model;
    }

    /** The answer, the frames it looked at, and the time spent decoding. */
    public record Result(Answer answer, SampledVideo frames, double decodeMs) {}

    /**
     * Samples {@code source} (a live URL is read for {@code liveWindow}), then answers the
     * question, or ranks {@code candidates} when there are any.
     */
    public Result ask(VideoSource source, SamplingSpec sampling, Duration liveWindow, String question,
                      List<String> candidates, AnswerOptions options) throws VideoDecodeException {
        long t0 = System.nanoTime();
        SampledVideo video = source instanceof VideoSource.Url u && u.live()
                ? decoder.capture(source, liveWindow, sampling)
                : decoder.sample(source, sampling);
        double decodeMs = (System.nanoTime() - t0) / 1e6;
        return new Result(answer(video.frames(), question, candidates, options), video, decodeMs);
    }

    /** Answers over already decoded frames (in time order). */
    public Answer answer(List<DecodedFrame> frames, String question, List<String> candidates, AnswerOptions options) {
        long t0 = System.nanoTime();
        List<FrameFeatures> features = encode(frames);
        double visionMs = (System.nanoTime() - t0) / 1e6;
        Answer a = model.respond(features, question, candidates, options);
        return a.withVisionMs(visionMs);
    }

    /** Preprocessed pixels of each frame (CHW float32 at the checkpoint's image size). */
    public float[][] pixels(List<DecodedFrame> frames) {
        float[][] px = new float[frames.size()][];
        for (int i = 0; i < px.length; i++) {
            px[i] = preprocessor.apply(frames.get(i));
        }
        return px;
    }

    /** Features of each frame; a frame picked twice (few frames, many picks) is encoded once. */
    public List<FrameFeatures> encode(List<DecodedFrame> frames) {
        java.util.Map<DecodedFrame, Integer> slot = new java.util.IdentityHashMap<>();
        List<DecodedFrame> distinct = new java.util.ArrayList<>();
        for (DecodedFrame f : frames) {
            slot.computeIfAbsent(f, k -> {
                distinct.add(k);
                return distinct.size() - 1;
            });
        }
        FrameFeatures[] encoded = model.encodeFrames(pixels(distinct));
        return frames.stream().map(f -> encoded[slot.get(f)]).toList();
    }
}
