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

/** A topology under TopologyTestDriver with real video chunks and a fast fake model: what its tests share. */
abstract class VidqaTopologyTestBase {
    @TempDir
    static Path shared;
    static List<Chunk> clip; // 6 s of frame-numbered video in 1 s chunks (keyframe every second)
    static List<Chunk> otherClip; // the same length and name, other pictures (a re-ingest)

    @TempDir
    Path state;

    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> chunks;
    TestInputTopic<byte[], byte[]> questions;
    TestOutputTopic<String, byte[]> answers;
    TestOutputTopic<byte[], byte[]> deadLetters;
    FakeEngine engine;
    VidqaMetrics metrics;

    @BeforeAll
    static void makeClip() throws Exception {
        Path p = shared.resolve("clip.mp4");
        SyntheticVideo.write(p, new SyntheticVideo.Spec(96, 64, 25, 150, 25, "mp4", avcodec.AV_CODEC_ID_H264,
                avutil.AV_PIX_FMT_YUV420P, Map.of(), false));
        clip = new ArrayList<>();
        new Chunker(1.0).cut(new VideoSource.File(p), "cam", "clip.mp4", 0, clip::add, () -> false);
        assertEquals(6, clip.size());
        Path other = shared.resolve("other.mp4");
        SyntheticVideo.write(other, new SyntheticVideo.Spec(96, 64, 25, 150, 25, "mp4", avcodec.AV_CODEC_ID_H264,
                avutil.AV_PIX_FMT_YUV420P, Map.of(), true));
        otherClip = new ArrayList<>();
        new Chunker(1.0).cut(new VideoSource.File(other), "cam", "clip.mp4", 0, otherClip::add, () -> false);
    }

    @BeforeEach
    void start() {
        start(new Properties());
    }

    void start(Properties extra) {
        if (driver != null) {
            driver.close();
        }
        Properties p = new Properties();
        p.put("vidqa.questions.wait-seconds", "5");
        p.put("vidqa.questions.check-interval-ms", "100");
        p.put("vidqa.frames.store-fps", "2");
        p.put("vidqa.questions.batch-linger-ms", "0");
        p.putAll(extra);
        p.put("vidqa.decode.max-chunk-bytes", "200000");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        VidqaConfig config = VidqaConfig.from(p);
        engine = new FakeEngine();
        metrics = VidqaMetrics.noop();
        driver = new TopologyTestDriver(VidqaTopology.build(config, engine, metrics), config.streamsProperties());
        ByteArraySerializer b = new ByteArraySerializer();
        chunks = driver.createInputTopic(config.topics().chunks().name(), b, b);
        questions = driver.createInputTopic(config.topics().questions().name(), b, b);
        answers = driver.createOutputTopic(config.topics().answers().name(), new StringDeserializer(),
                new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(config.topics().deadLetters().name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    void send(Chunk c) {
        RecordHeaders h = new RecordHeaders();
        ChunkHeaders.write(h, c);
        chunks.pipeInput(new TestRecord<>(c.streamId().getBytes(StandardCharsets.UTF_8), c.data(), h));
    }

    void ask(QuestionRecord q) {
        questions.pipeInput(q.streamId() == null ? null : q.streamId().getBytes(StandardCharsets.UTF_8), Json.write(q));
    }

    /** Lets the application's batching beat run (answers are emitted on it). */
    void beat() {
        driver.advanceWallClockTime(Duration.ofMillis(50));
    }

    boolean noAnswers() {
        beat();
        return answers.isEmpty();
    }

    AnswerRecord answer() {
        beat();
        TestRecord<String, byte[]> r = answers.readRecord();
        AnswerRecord a = Json.answer(r.value());
        assertEquals(a.streamId(), r.key(), "answers are keyed by stream id");
        return a;
    }

    static QuestionRecord q(String id, String text, Window w) {
        return new QuestionRecord(id, "cam", text, w, null, null);
    }

}
