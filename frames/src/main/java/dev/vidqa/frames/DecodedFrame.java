package dev.vidqa.frames;

/**
 * One decoded frame as interleaved RGB bytes {@code (height, width, 3)}.
 *
 * @param index position in display order among the decodable frames of the source (from its
 *     first keyframe)
 * @param timestamp presentation time in seconds relative to the start of the stream (the
 *     container's own start offset removed)
 */
public record DecodedFrame(int index, double timestamp, int width, int height, byte[] rgb) {
    public DecodedFrame {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("RGB frame of " + rgb.length + " bytes for " + width + "x" + height);
        }
    }
}
