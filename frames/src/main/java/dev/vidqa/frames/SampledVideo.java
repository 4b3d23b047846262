package dev.vidqa.frames;

import java.util.List;

/**
 * Frames chosen from a source, in time order (a frame repeats when the source has fewer frames
 * than asked for), with how many decodable frames the source had and whether seeking was used.
 */
public record SampledVideo(VideoInfo info, List<DecodedFrame> frames, int totalFrames, boolean seeked) {

    public double[] timestamps() {
        return frames.stream().mapToDouble(DecodedFrame::timestamp).toArray();
    }
}
