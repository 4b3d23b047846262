package dev.vidqa.frames;

/**
 * What a source holds, as the container reports it.
 *
 * @param format FFmpeg's container name(s), e.g. {@code mpeg}, {@code mpegts}, {@code mov,mp4,...}
 * @param startSeconds the container's start time (stripped from frame timestamps)
 * @param frameRate the video stream's frame rate (0 when unknown)
 */
public record VideoInfo(String format, String codec, int width, int height, double frameRate,
                        double durationSeconds, double startSeconds) {}
