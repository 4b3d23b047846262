package dev.vidqa.topology.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.frames.SyntheticVideo;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.ingest.Chunk;
import dev.vidqa.ingest.ChunkHeaders;
import dev.vidqa.ingest.Chunker;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.Json;
import dev.vidqa.topology.records.QuestionOptions;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.records.Window;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology's logic with real video chunks and a fast fake model. */
class VidqaTopologyTest extends VidqaTopologyTestBase {
    @Test
    void aClipQuestionWaitsForTheClipsLastChunkThenSamplesItUniformly() {
        send(clip.get(0));
        ask(q("q1", "what happens?", Window.clip("clip.mp4")));
        assertTrue(noAnswers(), "the clip is not complete yet");
        clip.subList(1, 6).forEach(this::send);
        AnswerRecord a = answer();
        assertEquals(AnswerRecord.OK, a.status());
        assertEquals("q1", a.questionId());
        // stored at 2 fps from each 1 s chunk: 0, 0.48, 1, 1.48, ... (12 frames); uniform 4 -> 0, 3, 6, 9
        assertEquals(List.of(0.0, 1.48, 3.0, 4.48), a.frameTimestamps());
        assertEquals("frames 0.00 1.48 3.00 4.48", a.answer());
        assertEquals("fake", a.model());
        assertTrue(noAnswers());
    }

    @Test
    void aLatestWindowQuestionIsAnsweredWhenTheFirstChunkArrives() {
        ask(q("q2", "what now?", Window.latest(2)));
        assertTrue(noAnswers());
        send(clip.get(0));
        // answered on the beat after the first chunk: its latest 2 s are [0, 1)
        AnswerRecord a = answer();
        send(clip.get(1));
        assertTrue(noAnswers(), "answered once");
        assertEquals(AnswerRecord.OK, a.status());
        assertEquals(List.of(0.0, 0.0, 0.48, 0.48), a.frameTimestamps(), "two stored frames, uniformly repeated");
    }

    @Test
    void aRangeQuestionWaitsUntilTheStreamPassesItsEndAndHonoursOptions() {
        QuestionOptions twoFrames = new QuestionOptions(2, "headtail", null, 1, 5, null, null, null);
        ask(new QuestionRecord("q3", "cam", "what?", Window.range(1.0, 3.0), null, twoFrames));
        send(clip.get(0));
        send(clip.get(1));
        assertTrue(noAnswers(), "the stream is at 2 s, the window ends at 3 s");
        send(clip.get(2));
        AnswerRecord a = answer();
        assertEquals(List.of(1.0, 2.48), a.frameTimestamps(), "headtail over the frames stored in [1, 3): 1, 1.48, 2, 2.48");
    }

    @Test
    void readyQuestionsLingerBrieflyToBeAnsweredTogether() {
        Properties p = new Properties();
        p.put("vidqa.questions.batch-linger-ms", "200");
        start(p);
        clip.forEach(this::send);
        ask(q("b1", "one?", Window.clip("clip.mp4")));
        ask(q("b2", "two?", Window.clip("clip.mp4")));
        assertTrue(noAnswers(), "lingering for more questions");
        ask(q("b3", "three?", Window.clip("clip.mp4")));
        driver.advanceWallClockTime(Duration.ofMillis(200));
        List<String> ids = new ArrayList<>();
        while (!answers.isEmpty()) {
            ids.add(Json.answer(answers.readRecord().value()).questionId());
        }
        assertEquals(List.of("b1", "b2", "b3"), ids);
        assertEquals(1, metrics.registry().find("vidqa.questions.batch.size").summary().count(), "one batch of three");
        assertEquals(3.0, metrics.meanQuestionBatch());
    }

    @Test
    void ofMoreThanABatchWholeBatchesAreAnsweredAndTheRestLingersForMore() {
        Properties p = new Properties();
        p.put("vidqa.questions.batch-linger-ms", "200");
        p.put("vidqa.questions.max-batch", "4");
        start(p);
        clip.forEach(this::send);
        for (int i = 0; i < 6; i++) {
            ask(q("m" + i, "question " + i + "?", Window.clip("clip.mp4")));
        }
        driver.advanceWallClockTime(Duration.ofMillis(10)); // a beat
        List<String> first = new ArrayList<>();
        while (!answers.isEmpty()) {
            first.add(Json.answer(answers.readRecord().value()).questionId());
        }
        assertEquals(List.of("m0", "m1", "m2", "m3"), first, "one whole batch of 4 at once; 2 linger");
        driver.advanceWallClockTime(Duration.ofMillis(200));
        List<String> rest = new ArrayList<>();
        while (!answers.isEmpty()) {
            rest.add(Json.answer(answers.readRecord().value()).questionId());
        }
        assertEquals(List.of("m4", "m5"), rest, "the rest after the linger");
        assertEquals(2, metrics.registry().find("vidqa.questions.batch.size").summary().count());
    }

    @Test
    void candidatesAreRanked() {
        clip.forEach(this::send);
        ask(new QuestionRecord("q4", "cam", "which?", Window.clip("clip.mp4"), List.of("three", "a", "two"), null));
        AnswerRecord a = answer();
        assertEquals("a", a.answer());
        assertEquals(List.of("a", "two", "three"), a.candidates().stream().map(AnswerRecord.Candidate::answer).toList());
    }

    @Test
    void anUnknownStreamGetsNoFramesAfterTheWait() {
        ask(new QuestionRecord("q5", "nobody", "hello?", Window.latest(5), null, null));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertTrue(noAnswers(), "still waiting");
        driver.advanceWallClockTime(Duration.ofSeconds(4));
        AnswerRecord a = answer();
        assertEquals(AnswerRecord.NO_FRAMES, a.status());
        assertTrue(a.error().contains("no frames of stream 'nobody' arrived within 5 s"), a.error());
        assertNull(a.answer());
        assertEquals(1.0, metrics.count("vidqa.answers", "status", "no-frames"));
    }

    @Test
    void aClipThatNeverEndsIsAnsweredWithWhatArrived() {
        send(clip.get(0));
        send(clip.get(1));
        ask(q("q6", "so far?", Window.clip("clip.mp4")));
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        AnswerRecord a = answer();
        assertEquals(AnswerRecord.OK, a.status());
        assertEquals(List.of(0.0, 0.48, 1.0, 1.48), a.frameTimestamps());
    }

    @Test
    void malformedQuestionsGoToTheDeadLetterTopicUnchanged() {
        byte[] junk = "{not json".getBytes(StandardCharsets.UTF_8);
        questions.pipeInput("cam".getBytes(StandardCharsets.UTF_8), junk);
        TestRecord<byte[], byte[]> d = deadLetters.readRecord();
        assertArrayEquals(junk, d.value());
        assertEquals("cam", new String(d.key(), StandardCharsets.UTF_8));
        assertEquals("question", header(d, DeadLetterWriter.STAGE));
        assertEquals("InvalidQuestionException", header(d, DeadLetterWriter.ERROR_CLASS));
        assertTrue(header(d, DeadLetterWriter.REASON).startsWith("not a valid question JSON"));
        assertTrue(header(d, DeadLetterWriter.SOURCE).startsWith("vidqa.questions-0@"));
        // a question without an id, and one with unknown fields
        questions.pipeInput("cam".getBytes(), "{\"question\": \"what?\"}".getBytes());
        assertTrue(header(deadLetters.readRecord(), DeadLetterWriter.REASON).contains("has no id"));
        questions.pipeInput("cam".getBytes(), "{\"id\": \"x\", \"question\": \"q\", \"colour\": 3}".getBytes());
        assertTrue(header(deadLetters.readRecord(), DeadLetterWriter.REASON).contains("colour"));
        assertTrue(noAnswers());
        assertEquals(3.0, metrics.count("vidqa.dead.letters", "stage", "question"));
    }

    @Test
    void emptyInvalidAndTooLongQuestionsGetErrorAnswers() {
        clip.forEach(this::send);
        ask(q("e1", "   ", Window.latest(2)));
        AnswerRecord a = answer();
        assertEquals(AnswerRecord.ERROR, a.status());
        assertEquals("the question is empty", a.error());

        ask(q("e2", "what is " + "very ".repeat(30) + "big?", Window.latest(2)));
        a = answer();
        assertEquals(AnswerRecord.ERROR, a.status());
        assertTrue(a.error().contains("the prompt has 36 tokens; the limit is 20"), a.error());

        ask(new QuestionRecord("e3", "cam", "what?", new Window(null, 3.0, 1.0, 2.0), null, null));
        assertTrue(answer().error().startsWith("window must be exactly one of"));

        ask(new QuestionRecord("e4", "cam", "what?", Window.latest(2), null,
                new QuestionOptions(null, "sideways", null, null, null, null, null, null)));
        assertTrue(answer().error().contains("unknown sampling 'sideways'"));

        ask(new QuestionRecord("e5", "cam", "what?", Window.latest(2), null,
                new QuestionOptions(null, null, null, 0, null, null, null, null)));
        assertTrue(answer().error().contains("numBeams must be 1..64"));

        questions.pipeInput("other".getBytes(), Json.write(q("e6", "what?", Window.latest(2))));
        assertTrue(answer().error().contains("differs from the record key"));
        // and good questions still work afterwards
        ask(q("ok", "what?", Window.latest(2)));
        assertEquals(AnswerRecord.OK, answer().status());
    }

    @Test
    void badChunksGoToTheDeadLetterTopicAndTheStreamGoesOn() throws Exception {
        byte[] random = new byte[5000];
        new java.util.Random(3).nextBytes(random);
        chunks.pipeInput("cam".getBytes(), random);
        TestRecord<byte[], byte[]> d = deadLetters.readRecord();
        assertArrayEquals(random, d.value());
        assertEquals("chunk", header(d, DeadLetterWriter.STAGE));
        assertEquals("VideoDecodeException/PROBE_FAILED", header(d, DeadLetterWriter.ERROR_CLASS));

        chunks.pipeInput("cam".getBytes(), new byte[300_000]);
        d = deadLetters.readRecord();
        assertEquals("VideoDecodeException/LIMIT_EXCEEDED", header(d, DeadLetterWriter.ERROR_CLASS));
        assertTrue(header(d, DeadLetterWriter.REASON).contains("200000 bytes per chunk"));

        Path wav = shared.resolve("tone.wav");
        try (var r = new org.bytedeco.javacv.FFmpegFrameRecorder(wav.toFile(), 1)) {
            r.setFormat("wav");
            r.setSampleRate(8000);
            r.start();
            r.recordSamples(8000, 1, java.nio.ShortBuffer.wrap(new short[4000]));
            r.stop();
        }
        chunks.pipeInput("cam".getBytes(), Files.readAllBytes(wav));
        assertEquals("VideoDecodeException/NO_VIDEO_STREAM", header(deadLetters.readRecord(), DeadLetterWriter.ERROR_CLASS));

        RecordHeaders h = new RecordHeaders();
        ChunkHeaders.write(h, clip.get(0));
        ChunkHeaders.put(h, ChunkHeaders.START, "soon");
        chunks.pipeInput(new TestRecord<>("cam".getBytes(), clip.get(0).data(), h));
        assertTrue(header(deadLetters.readRecord(), DeadLetterWriter.REASON).contains("vidqa.start"));

        chunks.pipeInput(null, clip.get(0).data());
        assertTrue(header(deadLetters.readRecord(), DeadLetterWriter.REASON).contains("no key"));

        clip.forEach(this::send);
        ask(q("after", "still there?", Window.clip("clip.mp4")));
        assertEquals(AnswerRecord.OK, answer().status());
        assertEquals(5.0, metrics.count("vidqa.dead.letters", "stage", "chunk"));
    }

    @Test
    void aDuplicateQuestionIsAnsweredOnce() {
        clip.forEach(this::send);
        ask(q("dup", "once?", Window.clip("clip.mp4")));
        ask(q("dup", "once?", Window.clip("clip.mp4")));
        answer();
        assertTrue(noAnswers());
        assertEquals(1, engine.calls.get());
    }

    @Test
    void framesOlderThanTheRetentionAreForgotten() {
        Properties p = new Properties();
        p.put("vidqa.frames.retention-seconds", "4");
        start(p);
        clip.forEach(this::send); // 6 s, retention 4 s
        ask(q("old", "then?", Window.range(0.0, 1.0)));
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        AnswerRecord a = answer();
        assertEquals(AnswerRecord.NO_FRAMES, a.status(), "frames before 2 s were dropped");
        var store = driver.getKeyValueStore(VideoQaProcessor.FRAMES_STORE);
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        assertEquals(8, n, "2 fps over the last 4 s");
    }

    @Test
    void frameStoreHoldsFramesAtTheModelSize() {
        send(clip.get(0));
        var store = driver.<String, byte[]>getKeyValueStore(VideoQaProcessor.FRAMES_STORE);
        byte[] v = store.get(dev.vidqa.topology.store.FrameKeys.frame("cam", 0.48));
        assertNotNull(v);
        var f = dev.vidqa.topology.store.StoredFrame.decode(v);
        assertEquals(8, f.size());
        assertEquals("clip.mp4", f.clip());
        assertEquals(1.0, metrics.count("vidqa.chunks.decoded"));
        assertEquals(25.0, metrics.count("vidqa.frames.decoded"));
    }

    // ---- reliability (issue 10) ----------------------------------------------------------

    @Test
    void aPendingQuestionThatCannotBeReadGetsAnErrorAnswerNotSilence() {
        var pending = driver.<String, byte[]>getKeyValueStore(VideoQaProcessor.PENDING_STORE);
        pending.put(dev.vidqa.topology.store.FrameKeys.pending("cam", "lost-q"), "{not json".getBytes(StandardCharsets.UTF_8));
        driver.advanceWallClockTime(Duration.ofMillis(200)); // the slow beat looks at every pending question
        AnswerRecord a = answer();
        assertEquals("lost-q", a.questionId());
        assertEquals("cam", a.streamId());
        assertEquals(AnswerRecord.ERROR, a.status());
        assertTrue(a.error().contains("could not be read"), a.error());
        assertNull(pending.get(dev.vidqa.topology.store.FrameKeys.pending("cam", "lost-q")));
    }

    @Test
    void storedStateWithFieldsFromANewerVersionStaysReadable() throws Exception {
        var pending = driver.<String, byte[]>getKeyValueStore(VideoQaProcessor.PENDING_STORE);
        PendingQuestion pq = new PendingQuestion(q("upgraded", "what?", Window.latest(2)), "cam", 1, Long.MAX_VALUE);
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(Json.write(pq));
        node.put("addedInANewerVersion", 7);
        ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("question")).put("priority", "high");
        pending.put(dev.vidqa.topology.store.FrameKeys.pending("cam", "upgraded"), Json.MAPPER.writeValueAsBytes(node));
        send(clip.get(0));
        AnswerRecord a = answer();
        assertEquals("upgraded", a.questionId());
        assertEquals(AnswerRecord.OK, a.status(), String.valueOf(a.error()));
    }

    @Test
    void anErrorAnswerToAHugeQuestionStillFitsARecord() {
        String huge = "why " + "x".repeat(1_000_000);
        ask(q("huge", huge, Window.latest(2)));
        AnswerRecord a = answer();
        assertEquals(AnswerRecord.ERROR, a.status());
        assertTrue(a.question().length() < 1100, "echo clipped: " + a.question().length());
        assertTrue(Json.write(a).length < 4000);
    }

    @Test
    void longCandidateAnswersAreRefusedBeforeTheyCostMemory() {
        QuestionRecord q = new QuestionRecord("long-cands", "cam", "which?", Window.latest(2),
                List.of("a", "b".repeat(10_000)), null);
        ask(q);
        AnswerRecord a = answer();
        assertEquals(AnswerRecord.ERROR, a.status());
        assertTrue(a.error().contains("characters; the limit is 200"), a.error());
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add("c" + i);
        }
        ask(new QuestionRecord("many-cands", "cam", "which?", Window.latest(2), many, null));
        assertTrue(answer().error().contains("the limit is 256"));
    }

    @Test
    void aDeadLetterLeavesOutAValueTooLargeToSendAndSaysWhereItIs() {
        Properties p = new Properties();
        p.put("producer.max.request.size", "600000"); // the dead-letter copy may hold 600000 - 256 KiB bytes
        start(p);
        byte[] noise = new byte[150_000];
        new java.util.Random(3).nextBytes(noise);
        chunks.pipeInput(new TestRecord<>("cam".getBytes(StandardCharsets.UTF_8), noise, new RecordHeaders()));
        byte[] big = new byte[400_000];
        new java.util.Random(4).nextBytes(big);
        chunks.pipeInput(new TestRecord<>("cam".getBytes(StandardCharsets.UTF_8), big, new RecordHeaders()));
        TestRecord<byte[], byte[]> small = deadLetters.readRecord();
        assertArrayEquals(noise, small.value(), "a value that fits is copied unchanged");
        assertNull(header(small, DeadLetterWriter.VALUE_OMITTED));
        TestRecord<byte[], byte[]> large = deadLetters.readRecord();
        assertNull(large.value(), "too large to copy");
        assertEquals("400000", header(large, DeadLetterWriter.VALUE_OMITTED));
        assertTrue(header(large, DeadLetterWriter.SOURCE).endsWith("@1"), header(large, DeadLetterWriter.SOURCE));
        assertTrue(header(large, DeadLetterWriter.REASON).contains("exceed"), header(large, DeadLetterWriter.REASON));
    }

    @Test
    void reIngestingAStreamNeverAnswersWithTheOldVideo() {
        clip.forEach(this::send);
        ask(q("first", "what happens?", Window.clip("clip.mp4")));
        assertEquals(AnswerRecord.OK, answer().status());
        List<String> firstKeys = engine.frameKeys.get(engine.frameKeys.size() - 1);
        // the same stream and clip name from time 0 again, other pictures
        send(otherClip.get(0));
        ask(q("second", "what happens?", Window.clip("clip.mp4")));
        assertTrue(noAnswers(), "the clip is being ingested again: its old last chunk does not count");
        otherClip.subList(1, otherClip.size()).forEach(this::send);
        AnswerRecord a = answer();
        assertEquals(AnswerRecord.OK, a.status());
        assertEquals(List.of(0.0, 1.48, 3.0, 4.48), a.frameTimestamps(), "the same times...");
        List<String> secondKeys = engine.frameKeys.get(engine.frameKeys.size() - 1);
        for (int i = 0; i < 4; i++) {
            assertTrue(!secondKeys.get(i).equals(firstKeys.get(i)),
                    "...but new pictures never share a feature-cache key with the old: " + secondKeys.get(i));
        }
        assertEquals("second", a.questionId());
    }

    @Test
    void aStreamWhoseTimeGoesBackForgetsItsOldFrames() {
        clip.forEach(this::send); // 0..6 s
        send(otherClip.get(0)); // 0..1 s again
        var store = driver.<String, byte[]>getKeyValueStore(VideoQaProcessor.FRAMES_STORE);
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        assertEquals(2, n, "only the new first second's frames (2 fps)");
        ask(q("latest", "what now?", Window.latest(10)));
        AnswerRecord a = answer();
        assertEquals(List.of(0.0, 0.0, 0.48, 0.48), a.frameTimestamps(), "the latest seconds are the new ones");
    }

    @Test
    void aStreamThatStopsIsForgottenAfterTheIdleExpiry() {
        Properties p = new Properties();
        p.put("vidqa.frames.idle-expiry-seconds", "120");
        start(p);
        clip.forEach(this::send);
        var frames = driver.<String, byte[]>getKeyValueStore(VideoQaProcessor.FRAMES_STORE);
        var streams = driver.<String, byte[]>getKeyValueStore(VideoQaProcessor.STREAMS_STORE);
        assertNotNull(streams.get("cam"));
        driver.advanceWallClockTime(Duration.ofSeconds(90));
        assertNotNull(streams.get("cam"), "not idle long enough");
        driver.advanceWallClockTime(Duration.ofSeconds(90)); // 180 s without a chunk; the sweep runs every minute
        assertNull(streams.get("cam"), "the stream's info is deleted");
        try (var it = frames.all()) {
            assertTrue(!it.hasNext(), "and every frame of it");
        }
        assertEquals(1.0, metrics.count("vidqa.streams.expired"));
        ask(q("after", "what now?", Window.latest(2)));
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        assertEquals(AnswerRecord.NO_FRAMES, answer().status());
    }

    @Test
    void answersFollowTheOriginalEvaluationsBeamSearchUnlessTold() {
        assertTrue(!VidqaConfig.from(new Properties()).answerOptions().generation().earlyStopping());
        Properties p = new Properties();
        p.put("vidqa.answer.early-stopping", "true");
        assertTrue(VidqaConfig.from(p).answerOptions().generation().earlyStopping());
    }

    @Test
    void torchThreadsFollowTheCoresAndTheThreadsSharingThem() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.max(1, cores / 2), VidqaConfig.from(new Properties()).model().torchThreads(),
                "one stream thread and the encoder's share the cores");
        Properties three = new Properties();
        three.put("num.stream.threads", "3");
        assertEquals(Math.max(1, cores / 4), VidqaConfig.from(three).model().torchThreads());
        Properties set = new Properties();
        set.put("vidqa.torch.threads", "3");
        assertEquals(3, VidqaConfig.from(set).model().torchThreads());
        set.put("vidqa.torch.threads", "0");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> VidqaConfig.from(set));
    }

    @Test
    void errorAnswersSayWhoseProblemItIs() {
        send(clip.get(0));
        send(clip.get(1));
        ask(q("long", "why " + "so ".repeat(30) + "?", Window.latest(2)));
        AnswerRecord tooLong = answer();
        assertEquals(AnswerRecord.ERROR, tooLong.status());
        assertEquals("invalid-request", tooLong.errorKind(), "the asker can shorten the question");
        assertTrue(tooLong.error().contains("the prompt"), tooLong.error());

        ask(q("crash", "crash now?", Window.latest(2)));
        AnswerRecord crash = answer();
        assertEquals(AnswerRecord.ERROR, crash.status());
        assertEquals("internal", crash.errorKind(), "an IllegalArgumentException from inside is not the asker's");
        assertTrue(crash.error().startsWith("internal error"), crash.error());

        QuestionRecord badOptions = new QuestionRecord("opts", "cam", "what?", Window.latest(2), null,
                new dev.vidqa.topology.records.QuestionOptions(0, null, null, null, null, null, null, null));
        ask(badOptions);
        AnswerRecord refused = answer();
        assertEquals("invalid-request", refused.errorKind());
        assertTrue(refused.error().startsWith("options: "), refused.error());

        ask(q("fine", "what?", Window.latest(2)));
        AnswerRecord ok = answer();
        assertEquals(AnswerRecord.OK, ok.status());
        assertNull(ok.errorKind());
    }

    @Test
    void deadLettersNameTheKindOfFailure() {
        chunks.pipeInput(new TestRecord<>("cam".getBytes(StandardCharsets.UTF_8), "not a video".getBytes(StandardCharsets.UTF_8)));
        TestRecord<byte[], byte[]> d = deadLetters.readRecord();
        assertEquals("invalid-media", header(d, DeadLetterWriter.KIND));
        questions.pipeInput("cam".getBytes(StandardCharsets.UTF_8), "{".getBytes(StandardCharsets.UTF_8));
        assertEquals("invalid-request", header(deadLetters.readRecord(), DeadLetterWriter.KIND));
    }

    @Test
    void eachStageOfAQuestionsPathIsTimed() {
        ask(q("early", "what happens?", Window.clip("clip.mp4")));
        beat();
        driver.advanceWallClockTime(Duration.ofSeconds(2)); // the question waits for its clip
        clip.forEach(this::send);
        AnswerRecord a = answer();
        assertEquals(AnswerRecord.OK, a.status(), String.valueOf(a.error()));
        for (VidqaMetrics.Stage s : VidqaMetrics.Stage.values()) {
            assertNotNull(metrics.stageTimer(s), s + " is never recorded");
        }
        assertEquals(clip.size(), metrics.stageTimer(VidqaMetrics.Stage.DECODE_STORE).count(), "one per chunk");
        assertEquals(1, metrics.stageTimer(VidqaMetrics.Stage.WAIT_FRAMES).count());
        assertTrue(metrics.stageTimer(VidqaMetrics.Stage.WAIT_FRAMES).max(java.util.concurrent.TimeUnit.MILLISECONDS) >= 2000,
                "the question waited 2 s for its frames");
        assertEquals(1, metrics.stageTimer(VidqaMetrics.Stage.LM).count());
    }

    static String header(TestRecord<byte[], byte[]> r, String key) {
        return ChunkHeaders.get(r.headers(), key);
    }
}
