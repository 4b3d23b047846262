package dev.vidqa.topology.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vidqa.answerer.PromptTooLongException;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.qformer.config.ConfigException;
import dev.vidqa.topology.records.InvalidQuestionException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** One mapping from failures to kinds, for exit codes and error answers alike. */
class FailuresTest {
    @Test
    void eachFailureHasTheKindOfWhoCanFixIt() {
        assertEquals(FailureKind.INVALID_REQUEST, Failures.kind(new InvalidQuestionException("empty")));
        assertEquals(FailureKind.INVALID_REQUEST, Failures.kind(new PromptTooLongException(600, 512, "the prompt")));
        assertEquals(FailureKind.INVALID_MEDIA, Failures.kind(new VideoDecodeException(VideoDecodeException.Reason.CORRUPT,
                "x.mp4: corrupt")));
        assertEquals(FailureKind.MODEL, Failures.kind(new ConfigException("no config.json")));
        assertEquals(FailureKind.INFRASTRUCTURE, Failures.kind(new TimeoutException("broker away")));
        assertEquals(FailureKind.INFRASTRUCTURE, Failures.kind(new UncheckedIOException(new NoSuchFileException("f"))));
        assertEquals(FailureKind.INTERNAL, Failures.kind(new IllegalArgumentException("a bug")));
        assertEquals(FailureKind.INTERNAL, Failures.kind(new NullPointerException()));
    }

    @Test
    void wrappersOfFuturesDoNotHideTheKind() {
        assertEquals(FailureKind.MODEL, Failures.kind(new CompletionException(new ConfigException("bad"))));
        assertEquals(FailureKind.INVALID_MEDIA, Failures.kind(new java.util.concurrent.ExecutionException(
                new InvalidMediaException("not a video"))));
    }

    @Test
    void exitCodesAreDistinctPerKind() {
        assertEquals(5, FailureKind.INVALID_REQUEST.exitCode());
        assertEquals(4, FailureKind.INVALID_MEDIA.exitCode());
        assertEquals(3, FailureKind.MODEL.exitCode());
        assertEquals(6, FailureKind.INFRASTRUCTURE.exitCode());
        assertEquals(1, FailureKind.INTERNAL.exitCode());
    }
}
