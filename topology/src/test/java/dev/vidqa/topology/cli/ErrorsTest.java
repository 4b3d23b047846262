package dev.vidqa.topology.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vidqa.frames.VideoDecodeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The command line's exit codes come from the failure's kind. */
class ErrorsTest {
    @Test
    void aBrokerThatCannotBeReachedIsNotABrokenVideo() {
        assertEquals(6, Errors.code(new TimeoutException("Topic vidqa.chunks not present in metadata after 60000 ms")));
        assertEquals(6, Errors.code(new java.util.concurrent.ExecutionException(new TimeoutException("x"))));
        assertEquals(4, Errors.code(new VideoDecodeException(VideoDecodeException.Reason.PROBE_FAILED, "x: not a video")));
    }

    @Test
    void aRefusedArgumentIsTheUsersAndADefectIsOurs() {
        assertEquals(5, Errors.code(new IllegalArgumentException("--frames must be 1..64")));
        assertEquals(1, Errors.code(new IllegalStateException("a defect")));
    }
}
