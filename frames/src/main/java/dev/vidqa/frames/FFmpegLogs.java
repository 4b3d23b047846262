package dev.vidqa.frames;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg's own logging, off: outcomes are reported through exceptions and SLF4J instead. */
public final class FFmpegLogs {
    private FFmpegLogs() {}

    /**
     * FFmpeg writes recoverable stream damage (e.g. a missing PPS before the first keyframe of a
     * chunk) and format dumps to stderr, which would interleave with the CLI's output.
     */
    public static void quiet() {
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
    }
}
