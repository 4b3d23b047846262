package dev.vidqa.ingest;

/**
 * A self-contained piece of a video stream that starts on a keyframe.
 *
 * @param start start in stream time (seconds from the source's first frame)
 * @param end end in stream time (the next chunk's start)
 * @param clip the file or feed it was cut from, for whole-clip questions
 */
public record Chunk(String streamId, long sequence, byte[] data, String container, double start, double end,
                   long wallClockMillis, String clip, boolean lastOfClip) {}
