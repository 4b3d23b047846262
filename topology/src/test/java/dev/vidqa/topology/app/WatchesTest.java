package dev.vidqa.topology.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.ingest.Chunk;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.IncidentRecord;
import dev.vidqa.topology.records.Json;
import dev.vidqa.topology.records.WatchRecord;
import dev.vidqa.topology.records.Window;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Standing questions on stream time: evaluations, incidents, skipping when behind. */
class WatchesTest extends VidqaTopologyTestBase {
    TestInputTopic<String, byte[]> watchTopic;
    TestOutputTopic<String, byte[]> incidents;

    @BeforeEach
    void topics() {
        watchTopic = driver.createInputTopic(Topics.DEFAULT.watches().name(), new StringSerializer(), new ByteArraySerializer());
        incidents = driver.createOutputTopic(Topics.DEFAULT.incidents().name(), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    static WatchRecord lateWatch() {
        return new WatchRecord("late", null, "ca*", "is it late?", 1.0, Window.latest(1), null, null,
                new WatchRecord.Trigger(List.of("yes"), null), 2, 2);
    }

    void watch(WatchRecord w) {
        watchTopic.pipeInput(w.id(), Json.write(w));
    }

    List<IncidentRecord> incidents() {
        List<IncidentRecord> out = new ArrayList<>();
        while (!incidents.isEmpty()) {
            try {
                out.add(Json.MAPPER.readValue(incidents.readValue(), IncidentRecord.class));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    @Test
    void aReplayedClipOpensOneIncidentAtTheSameStreamTimesAndClosesItWhenTheStreamEnds() throws Exception {
        watch(lateWatch());
        List<AnswerRecord> evaluations = new ArrayList<>();
        for (var c : clip) {
            send(c);
            beat();
            while (!answers.isEmpty()) {
                evaluations.add(Json.answer(answers.readValue()));
            }
        }
        // one evaluation per second of stream time, over [t - 1, t): "yes" from t = 4 on
        assertEquals(List.of("no", "no", "no", "yes", "yes", "yes"), evaluations.stream().map(AnswerRecord::answer).toList());
        assertTrue(evaluations.stream().allMatch(a -> "late".equals(a.watchId())));
        assertEquals("watch/late/cam/4.000", evaluations.get(3).questionId());
        assertEquals(3.0, evaluations.get(3).windowFrom(), "the window's bounds: the latest 1 s");
        assertEquals(4.0, evaluations.get(3).windowTo());
        List<IncidentRecord> opened = incidents();
        assertEquals(1, opened.size(), "one record when the trigger has held twice, not one per evaluation");
        assertEquals(IncidentRecord.OPEN, opened.get(0).state());
        assertEquals(4.0, opened.get(0).from());
        assertNull(opened.get(0).to());
        assertEquals(List.of("yes", "yes"), opened.get(0).answers());
        assertEquals(List.of(3.0, 3.0, 3.48, 3.48), opened.get(0).frameTimestamps().get(0),
                "the frames the first answer that fired looked at (2 stored in [3, 4), 4 picked) are the evidence");
        assertEquals(evaluations.get(3).frameTimestamps(), opened.get(0).frameTimestamps().get(0));
        // the stream stops; when it is forgotten the incident closes
        driver.advanceWallClockTime(Duration.ofSeconds(3700));
        List<IncidentRecord> closed = incidents();
        assertEquals(1, closed.size());
        assertEquals(IncidentRecord.CLOSED, closed.get(0).state());
        assertEquals(4.0, closed.get(0).from());
        assertEquals(6.0, closed.get(0).to());
        assertEquals(3, closed.get(0).answers().size());
        assertEquals(1.0, metrics.count("vidqa.incidents", "state", "open"));
    }

    @Test
    void aWatchBehindLiveSkipsToTheNewestWindowAndCountsWhatItSkipped() {
        watch(lateWatch());
        clip.forEach(this::send); // six seconds arrive before the model gets a turn
        beat();
        List<AnswerRecord> got = new ArrayList<>();
        while (!answers.isEmpty()) {
            got.add(Json.answer(answers.readValue()));
        }
        assertEquals(1, got.size(), "only the newest window is answered");
        assertEquals("watch/late/cam/6.000", got.get(0).questionId());
        assertEquals(5.0, metrics.count("vidqa.watch.evaluations.skipped"));
    }

    @Test
    void chunksFarBehindLiveMakeNoEvaluationsSoTheBacklogDrainsAndEvaluationsResumeAtLive() {
        watch(lateWatch());
        // the chunks were cut a minute before they are stored (a backlog in the chunks topic): each one
        // is stored, with a beat after it, yet none makes an evaluation
        driver.advanceWallClockTime(Duration.ofSeconds(60));
        for (Chunk c : clip.subList(0, clip.size() - 1)) {
            send(c);
            beat();
        }
        assertTrue(answers.isEmpty(), "no evaluation of a window a minute old");
        assertEquals(clip.size() - 1.0, metrics.count("vidqa.watch.evaluations.skipped"), "each one skipped and counted");
        // caught up: the next chunk is live, and its window is evaluated
        var h = new org.apache.kafka.common.header.internals.RecordHeaders();
        dev.vidqa.ingest.ChunkHeaders.write(h, clip.get(clip.size() - 1));
        h.remove(dev.vidqa.ingest.ChunkHeaders.WALL_CLOCK);
        dev.vidqa.ingest.ChunkHeaders.put(h, dev.vidqa.ingest.ChunkHeaders.WALL_CLOCK,
                Long.toString(java.time.Instant.now().toEpochMilli() + 60_000)); // the driver's clock
        chunks.pipeInput(new org.apache.kafka.streams.test.TestRecord<>("cam".getBytes(StandardCharsets.UTF_8),
                clip.get(clip.size() - 1).data(), h));
        beat();
        List<AnswerRecord> got = new ArrayList<>();
        while (!answers.isEmpty()) {
            got.add(Json.answer(answers.readValue()));
        }
        assertEquals(List.of("watch/late/cam/6.000"), got.stream().map(AnswerRecord::questionId).toList());
    }

    @Test
    void aRemovedWatchStopsAndOneForAnotherStreamNeverStarts() {
        watch(new WatchRecord("elsewhere", "bay-2", null, "is it late?", 1.0, null, null, null,
                new WatchRecord.Trigger(null, List.of("no")), null, null));
        watch(lateWatch());
        watchTopic.pipeInput("late", (byte[]) null); // tombstone
        clip.forEach(c -> {
            send(c);
            beat();
        });
        assertTrue(answers.isEmpty(), "no watch of stream cam is left");
        assertTrue(incidents().isEmpty());
    }

    @Test
    void anInvalidWatchIsSkippedNotFatal() {
        watchTopic.pipeInput("bad", "{\"id\": \"bad\", \"question\": \"?\"}".getBytes(StandardCharsets.UTF_8));
        watch(lateWatch());
        send(clip.get(0));
        beat();
        assertEquals("late", Json.answer(answers.readValue()).watchId());
    }

    @Test
    void removingAWatchWithAnOpenIncidentClosesItAtItsNextEvaluation() {
        watch(lateWatch());
        for (int i = 0; i < 5; i++) { // evaluations at 1..5 s: "yes" at 4 and 5 open the incident
            send(clip.get(i));
            beat();
        }
        assertEquals(List.of(IncidentRecord.OPEN), incidents().stream().map(IncidentRecord::state).toList());
        send(clip.get(5)); // the evaluation at 6 s is parked ...
        watchTopic.pipeInput("late", (byte[]) null); // ... and the watch removed before it is answered
        beat();
        List<IncidentRecord> closed = incidents();
        assertEquals(1, closed.size());
        assertEquals(IncidentRecord.CLOSED, closed.get(0).state());
        assertEquals("late", closed.get(0).watchId());
        assertEquals(5.0, closed.get(0).to(), "the last evaluation that fired while the watch existed");
    }

    @Test
    void replayingTheClipIntoTheSameStreamGivesTheSameEvaluationsAndIncidentsAgain() {
        watch(lateWatch());
        List<List<String>> runs = new ArrayList<>();
        List<List<String>> incidentRuns = new ArrayList<>();
        for (int replay = 0; replay < 2; replay++) {
            List<String> got = new ArrayList<>();
            for (var c : clip) {
                send(c);
                beat();
                while (!answers.isEmpty()) {
                    AnswerRecord a = Json.answer(answers.readValue());
                    got.add(a.questionId() + "=" + a.answer());
                }
            }
            runs.add(got);
            incidentRuns.add(incidents().stream().map(i -> i.state() + "@" + i.from() + "-" + i.to()).toList());
        }
        assertEquals(6, runs.get(0).size());
        assertEquals(runs.get(0), runs.get(1), "stream time, not wall clock: the replay evaluates the same windows");
        assertEquals(List.of("open@4.0-null"), incidentRuns.get(0));
        // the restart closes the first run's incident, then the replay opens the same one again
        assertEquals(List.of("closed@4.0-6.0", "open@4.0-null"), incidentRuns.get(1));
    }

    @Test
    void eachStreamsLagBehindLiveIsAGaugeThatGoesWithTheStream() {
        var h = new org.apache.kafka.common.header.internals.RecordHeaders();
        dev.vidqa.ingest.ChunkHeaders.write(h, clip.get(0));
        h.remove(dev.vidqa.ingest.ChunkHeaders.WALL_CLOCK);
        long now = java.time.Instant.now().toEpochMilli(); // the driver's clock started at this test's start
        dev.vidqa.ingest.ChunkHeaders.put(h, dev.vidqa.ingest.ChunkHeaders.WALL_CLOCK, Long.toString(now - 7_000));
        chunks.pipeInput(new org.apache.kafka.streams.test.TestRecord<>("cam".getBytes(StandardCharsets.UTF_8),
                clip.get(0).data(), h));
        double lag = metrics.streamLagSeconds("cam");
        assertTrue(lag >= 5 && lag <= 7.01, "cut 7 s before now, stored on the driver's clock (started a moment ago): " + lag);
        driver.advanceWallClockTime(Duration.ofSeconds(3700)); // the stream is forgotten
        assertTrue(Double.isNaN(metrics.streamLagSeconds("cam")), "no gauge for a stream that is gone");
    }

    @Test
    void aBusyStreamDoesNotStarveAQuietOne() {
        watch(lateWatch()); // streams "ca*": cam and cab
        clip.forEach(this::send); // cam: six seconds at once, five evaluations left behind
        var c = clip.get(0);
        var quiet = new dev.vidqa.ingest.Chunk("cab", 0, c.data(), c.container(), c.start(), c.end(), c.wallClockMillis(),
                c.clip(), false);
        send(quiet);
        beat();
        List<String> answered = new ArrayList<>();
        while (!answers.isEmpty()) {
            answered.add(Json.answer(answers.readValue()).questionId());
        }
        // each (watch, stream) holds at most one evaluation, and a beat answers every one that is ready
        assertEquals(List.of("watch/late/cab/1.000", "watch/late/cam/6.000"), answered.stream().sorted().toList());
    }
}
