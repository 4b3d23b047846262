package dev.vidqa.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.frames.world.WorldSplit;
import dev.vidqa.frames.world.WorldWriter;
import dev.vidqa.ingest.ChunkPublisher;
import dev.vidqa.ingest.Chunker;
import dev.vidqa.ingest.Ingestor;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.testing.RepoPaths;
import dev.vidqa.topology.app.AppServer;
import dev.vidqa.topology.app.VidqaApp;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.client.AnswerWatcher;
import dev.vidqa.topology.live.LivePage;
import dev.vidqa.topology.pipeline.ModelQaEngine;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.Json;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The live page's API on two instances against a real broker: either one lists every stream and
 * serves every stream's newest frame (interactive queries, asking the instance that holds it), a
 * question asked through it is answered, bad requests are refused by name, and the event stream is
 * bounded.
 */
class LiveApiIT extends BrokerTest {
    static final Path MODEL = RepoPaths.tinyT5();
    final HttpClient http = HttpClient.newHttpClient();

    /** One instance's configuration: shared application id and topics, its own state and address. */
    Properties props(String prefix, int port, String state) {
        Properties p = application(prefix, state);
        p.put("application.server", "localhost:" + port);
        p.put("vidqa.topics.partitions", "4");
        p.put("vidqa.questions.wait-seconds", "4");
        p.put("vidqa.model.dir", MODEL.toString());
        p.put("vidqa.metrics.port", Integer.toString(port));
        p.put("vidqa.live.max-clients", "2");
        return p;
    }

    HttpResponse<byte[]> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eitherInstanceShowsEveryStreamAndItsNewestFrameAndTakesQuestions() throws Exception {
        String prefix = "live-" + UUID.randomUUID().toString().substring(0, 6);
        int[] ports = freePorts(2);
        int port1 = ports[0];
        int port2 = ports[1];
        VidqaConfig c1 = VidqaConfig.from(props(prefix, port1, "one"));
        VidqaConfig c2 = VidqaConfig.from(props(prefix, port2, "two"));
        Path feed = tmp.resolve("feed");
        WorldWriter.write(feed, new WorldWriter.Spec(7, 1, WorldSplit.HELDOUT, 160, 120, 10, 6.0, 1));
        List<String> streams = List.of("cam-a", "cam-b", "cam-c", "cam-d", "cam-e", "cam-f");
        try (ModelQaEngine e1 = VidqaApp.engine(c1, InstructBlipVideo.load(MODEL, DeviceChoice.CPU));
             ModelQaEngine e2 = VidqaApp.engine(c2, InstructBlipVideo.load(MODEL, DeviceChoice.CPU));
             VidqaApp a1 = VidqaApp.start(c1, e1, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
             VidqaApp a2 = VidqaApp.start(c2, e2, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
             AppServer s1 = new AppServer(port1, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), a1::health, 6);
             AppServer s2 = new AppServer(port2, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), a2::health, 6);
             LivePage p1 = LivePage.serve(c1, a1, s1);
             LivePage p2 = LivePage.serve(c2, a2, s2)) {
            StreamingIT.awaitBothAssigned(a1, a2);
            try (ChunkPublisher pub = new ChunkPublisher(client(), c1.topics().chunks().name())) {
                for (String s : streams) {
                    new Ingestor(new Chunker(2.0), pub::publish).ingest(s, feed.resolve("clips").toString());
                }
            }
            // every stream, from either instance, each shown once, held by one or the other
            JsonNode all = awaitStreams(port1, streams.size());
            Set<String> ids = new TreeSet<>();
            Set<String> hosts = new TreeSet<>();
            for (JsonNode s : all.get("streams")) {
                ids.add(s.get("streamId").asText());
                hosts.add(s.get("host").asText());
                assertEquals(6.0, s.get("to").asDouble(), 1e-9, "the stream's span: " + s);
            }
            assertEquals(new TreeSet<>(streams), ids);
            assertEquals(Set.of("localhost:" + port1, "localhost:" + port2), hosts, "both instances hold streams");
            assertEquals(ids, idsOf(awaitStreams(port2, streams.size())), "the other instance shows the same streams");
            // a stream the second instance holds: its frame through the first is the second's own (tasks can
            // still move in the follow-up rebalances after both joined: ask until the holder is settled)
            String remote = null;
            HttpResponse<byte[]> viaFirst = null;
            HttpResponse<byte[]> atSecond = null;
            long settle = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < settle) {
                for (JsonNode s : awaitStreams(port1, streams.size()).get("streams")) {
                    if (s.get("host").asText().equals("localhost:" + port2)) {
                        remote = s.get("streamId").asText();
                    }
                }
                viaFirst = get(port1, "/api/streams/" + remote + "/frame.png");
                atSecond = get(port2, "/api/streams/" + remote + "/frame.png?local=true");
                if (viaFirst.statusCode() == 200 && atSecond.statusCode() == 200) {
                    break;
                }
                Thread.sleep(250);
            }
            assertEquals(200, viaFirst.statusCode(), new String(viaFirst.body()));
            assertEquals(200, atSecond.statusCode(), new String(atSecond.body()));
            assertArrayEquals(atSecond.body(), viaFirst.body(), "the first instance forwards the holder's frame");
            assertEquals(404, get(port1, "/api/streams/" + remote + "/frame.png?local=true").statusCode(),
                    "the first instance does not hold it itself");
            java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(viaFirst.body()));
            assertEquals(e1.imageSize(), png.getWidth(), "the stored frame, at the model's size");
            assertEquals(404, get(port1, "/api/streams/no-such-cam/frame.png").statusCode());

            // asking through the page: answered on the answers topic, and shown in the latest answers
            try (AnswerWatcher answers = new AnswerWatcher(client(), c1.topics().answers().name(), false)) {
                HttpResponse<String> asked = post(port1, "/api/ask",
                        "{\"streamId\":\"cam-c\",\"question\":\"what is there?\",\"latestSeconds\":4}");
                assertEquals(202, asked.statusCode(), asked.body());
                String id = Json.MAPPER.readTree(asked.body()).get("id").asText();
                Map<String, AnswerRecord> got = answers.await(List.of(id), Duration.ofSeconds(60), a -> { }, new ArrayList<>());
                assertEquals(AnswerRecord.OK, got.get(id).status());
                JsonNode latest = awaitListed(port2, "/api/answers", "questionId", id);
                assertEquals("cam-c", latest.get("streamId").asText());
            }
            // bad requests, by name
            HttpResponse<String> noStream = post(port1, "/api/ask", "{\"question\":\"what?\"}");
            assertEquals(400, noStream.statusCode());
            assertTrue(noStream.body().contains("streamId"), noStream.body());
            HttpResponse<String> tooOften = post(port1, "/api/watches", "{\"id\":\"w\",\"streamId\":\"cam-a\",\"question\":"
                    + "\"is the door open?\",\"every\":0.1,\"trigger\":{\"answers\":[\"yes\"]}}");
            assertEquals(400, tooOften.statusCode());
            assertTrue(tooOften.body().contains("every"), tooOften.body());
            HttpResponse<String> big = post(port1, "/api/ask", "{\"streamId\":\"" + "x".repeat(70_000) + "\"}");
            assertEquals(400, big.statusCode(), "a body over 64 KiB is refused");
            // a watch added through the page reaches every instance's global store
            HttpResponse<String> added = post(port1, "/api/watches", "{\"id\":\"door\",\"streamPattern\":\"cam-*\","
                    + "\"question\":\"is the door open?\",\"trigger\":{\"answers\":[\"yes\"]}}");
            assertEquals(200, added.statusCode(), added.body());
            awaitListed(port2, "/api/watches", "id", "door");
            // the event stream is bounded: a third page is refused while two are connected
            try (InputStream one = openEvents(port1); InputStream two = openEvents(port1)) {
                String first = new String(one.readNBytes(200), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(first.contains("event: streams"), "the current streams come first: " + first);
                two.readNBytes(20);
                assertEquals(503, get(port1, "/api/events").statusCode());
            }
        }
    }

    InputStream openEvents(int port) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/events"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    static Set<String> idsOf(JsonNode all) {
        Set<String> ids = new TreeSet<>();
        all.get("streams").forEach(s -> ids.add(s.get("streamId").asText()));
        return ids;
    }

    JsonNode awaitStreams(int port, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> r = get(port, "/api/streams");
            if (r.statusCode() == 200) {
                last = Json.MAPPER.readTree(r.body());
                boolean done = last.get("streams").size() == n;
                for (JsonNode s : last.get("streams")) {
                    done &= s.get("to").asDouble() >= 6.0 - 1e-9;
                }
                if (done) {
                    return last;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not every stream shown: " + last);
    }

    /** The entry of the JSON list at {@code path} whose {@code field} is {@code value}, once the instance lists it. */
    JsonNode awaitListed(int port, String path, String field, String value) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode e : Json.MAPPER.readTree(get(port, path).body())) {
                if (e.get(field).asText().equals(value)) {
                    return e;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(field + " " + value + " not listed by :" + port + path);
    }
}
