package dev.vidqa.topology.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.topology.records.Window;
import dev.vidqa.topology.store.StreamInfo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where windows lie and when they are covered, without a store; when ready questions go to the model. */
class WindowResolverTest {
    // a stream with chunks [0, 2) and [2, 4) of clip "a" (not ended) and [4, 6) of clip "b" (ended)
    static final StreamInfo INFO = StreamInfo.empty().withChunk(0, 2, "a", false).withChunk(2, 4, "a", false)
            .withChunk(4, 6, "b", true);

    @Test
    void aClipIsCoveredWhenItsLastChunkArrived() {
        WindowResolver.Span a = WindowResolver.resolve(Window.clip("a"), INFO);
        assertEquals(new WindowResolver.Span(0, 4, "a", false), a);
        assertEquals(new WindowResolver.Span(4, 6, "b", true), WindowResolver.resolve(Window.clip("b"), INFO));
        assertFalse(WindowResolver.resolve(Window.clip("c"), INFO).covered(), "an unknown clip may still come");
        assertEquals("clip 'a'", WindowResolver.describe(Window.clip("a"), a));
    }

    @Test
    void theLatestSecondsEndAtTheStreamsLatestTime() {
        assertEquals(new WindowResolver.Span(3, 6, null, true), WindowResolver.resolve(Window.latest(3), INFO));
        assertEquals(new WindowResolver.Span(0, 6, null, true), WindowResolver.resolve(Window.latest(60), INFO));
        assertFalse(WindowResolver.resolve(Window.latest(3), null).covered(), "nothing of the stream yet");
    }

    @Test
    void aSpanIsCoveredWhenTheStreamReachedItsEnd() {
        assertTrue(WindowResolver.resolve(Window.range(1, 6), INFO).covered());
        WindowResolver.Span later = WindowResolver.resolve(Window.range(5, 7.5), INFO);
        assertFalse(later.covered());
        assertEquals("[5.00, 7.50] s", WindowResolver.describe(Window.range(5, 7.5), later));
    }

    @Test
    void readyQuestionsLingerForAFullerBatchButNotLongerThanTheLinger() {
        VidqaConfig.Questions q = new VidqaConfig.Questions(Duration.ofSeconds(30), Duration.ofMillis(500),
                Duration.ofMillis(10), Duration.ofMillis(30), 3, Duration.ofHours(1), 10, Duration.ofSeconds(10));
        QuestionBatcher b = new QuestionBatcher(q);
        assertNull(b.release(List.of("q1"), false, 1000), "one question waits for others");
        assertNull(b.release(List.of("q1", "q2"), false, 1020));
        assertEquals(java.util.Map.of("q1", 1000L, "q2", 1020L), b.release(List.of("q1", "q2"), false, 1030),
                "q1 has lingered 30 ms; each says when it was first ready");
        assertNotNull(b.release(List.of("q3", "q4", "q5"), false, 2000), "a full batch goes at once");
        assertNotNull(b.release(List.of("q6"), true, 3000), "a question out of time goes at once");
        assertNull(b.release(List.of("q7"), false, 4000), "answered ones are forgotten: q7 starts its own linger");
    }
}
