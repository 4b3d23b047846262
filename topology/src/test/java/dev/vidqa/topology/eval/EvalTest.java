package dev.vidqa.topology.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.generate.GenerationOptions;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.testing.RepoPaths;
import dev.vidqa.topology.cli.Vidqa;
import dev.vidqa.topology.pipeline.AnswerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation's plumbing and metric on small datasets in each format, built from the sample video. */
class EvalTest {
    @TempDir
    Path tmp;
    Path videos;

    @BeforeEach
    void videos() throws Exception {
        videos = Files.createDirectories(tmp.resolve("videos"));
        for (String name : List.of("abc_1_5.mpg", "video7010.mpg", "xyz_0_8.mpg", "street.mpg")) {
            Files.copy(RepoPaths.sampleVideo(), videos.resolve(name));
        }
    }

    Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void everyFormatIsReadAndItsVideosFound() throws Exception {
        Path mapping = write("youtube_mapping.txt", "abc_1_5 vid1\nmissing_0_1 vid2\n");
        List<EvalItem> msvd = DatasetReader.read(EvalDataset.MSVD_QA, write("msvd.json",
                "[{\"video_id\": 1, \"question\": \"what is moving?\", \"answer\": \"car\", \"id\": 7},"
                        + " {\"video_id\": 2, \"question\": \"who drives?\", \"answer\": \"man\", \"id\": 8}]"),
                videos, mapping, null);
        assertEquals(videos.resolve("abc_1_5.mpg"), msvd.get(0).video());
        assertNull(msvd.get(1).video(), "vid2 has no file");
        assertEquals("7", msvd.get(0).id());
        assertEquals("what", msvd.get(0).type());
        assertEquals("who", msvd.get(1).type());

        List<EvalItem> msrvtt = DatasetReader.read(EvalDataset.MSRVTT_QA, write("msrvtt.json",
                "[{\"video_id\": \"video7010\", \"question\": \"how many cars?\", \"answer\": \"two\", \"id\": 1}]"),
                videos, null, null);
        assertEquals(videos.resolve("video7010.mpg"), msrvtt.get(0).video());
        assertEquals("how", msrvtt.get(0).type());

        List<EvalItem> ivqa = DatasetReader.read(EvalDataset.IVQA, write("ivqa.csv",
                "video_id,start,end,question,answer1,answer2,answer3,answer4,answer5\n"
                        + "xyz,0,8,\"where is it, then?\",street,road,street,city,\n"), videos, null, null);
        assertEquals(videos.resolve("xyz_0_8.mpg"), ivqa.get(0).video());
        assertEquals("where is it, then?", ivqa.get(0).question());
        assertEquals(List.of("street", "road", "street", "city"), ivqa.get(0).answers());

        List<EvalItem> jsonl = DatasetReader.read(EvalDataset.JSONL, write("set.jsonl",
                "{\"video\": \"street.mpg\", \"question\": \"is it day?\", \"answers\": [\"yes\"], \"candidates\": [\"yes\", \"no\"]}\n"
                        + "{\"video\": \"street\", \"question\": \"when?\", \"answer\": \"now\"}\n"), videos, null, null);
        assertEquals(List.of("yes", "no"), jsonl.get(0).candidates());
        assertEquals(videos.resolve("street.mpg"), jsonl.get(1).video(), "by base name too");
        assertEquals("other", jsonl.get(0).type());
        assertEquals("when", jsonl.get(1).type());
    }

    @Test
    void theCommandScoresKnownPredictionsAndWritesItsReports() throws Exception {
        // a one-candidate ranking always answers that candidate: right for two questions, wrong for one
        Path set = write("known.jsonl", String.join("\n",
                "{\"id\": \"a\", \"video\": \"street.mpg\", \"question\": \"What is this?\", \"answer\": \"a street\", \"candidates\": [\"street\"]}",
                "{\"id\": \"b\", \"video\": \"street.mpg\", \"question\": \"How many cars?\", \"answer\": \"two\", \"candidates\": [\"2\"]}",
                "{\"id\": \"c\", \"video\": \"street.mpg\", \"question\": \"Who is there?\", \"answer\": \"nobody\", \"candidates\": [\"a man\"]}",
                "{\"id\": \"d\", \"video\": \"lost.mpg\", \"question\": \"What now?\", \"answer\": \"x\", \"candidates\": [\"x\"]}"));
        Path out = tmp.resolve("out");
        int code = Vidqa.run("eval", "--dataset", "jsonl", "--qa", set.toString(), "--videos", videos.toString(),
                "--model", RepoPaths.tinyT5().toString(), "--device", "cpu", "--out", out.toString());
        assertEquals(0, code);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(200.0 / 3, summary.get("accuracy").asDouble(), 1e-9, "2 of 3 questions with a video");
        assertEquals(1, summary.get("missingVideos").asInt());
        assertEquals(100.0, summary.get("byType").get("what").get("accuracy").asDouble());
        assertEquals(100.0, summary.get("byType").get("how").get("accuracy").asDouble(), "2 = two after normalisation");
        assertEquals(0.0, summary.get("byType").get("who").get("accuracy").asDouble());
        List<String> lines = Files.readAllLines(out.resolve(EvalRunner.PREDICTIONS));
        assertEquals(4, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals("street", first.get("prediction").asText());
        assertEquals(4, first.get("frameTimestamps").size());
        assertTrue(lines.get(3).contains("missing-video"));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("66.67"), "self-contained report with the chart");
    }

    @Test
    void anInterruptedRunContinuesWhereItStopped() throws Exception {
        List<EvalItem> items = DatasetReader.read(EvalDataset.MSRVTT_QA, write("msrvtt.json",
                "[{\"video_id\": \"video7010\", \"question\": \"what moves?\", \"answer\": \"car\", \"id\": 1},"
                        + "{\"video_id\": \"video7010\", \"question\": \"what color?\", \"answer\": \"red\", \"id\": 2},"
                        + "{\"video_id\": \"video7010\", \"question\": \"who walks?\", \"answer\": \"man\", \"id\": 3}]"),
                videos, null, null);
        EvalSettings s = new EvalSettings(EvalDataset.MSRVTT_QA, AnswerSettings.DEFAULTS.withOverrides(Map.of(
                "sampling", "headtail", "beams", "1", "max-new-tokens", "3", "min-new-tokens", "0",
                "length-penalty", "1", "repetition-penalty", "1", "early-stopping", "true")), true);
        Path out = tmp.resolve("resume");
        try (InstructBlipVideo m = InstructBlipVideo.load(RepoPaths.tinyT5(), DeviceChoice.CPU)) {
            EvalRunner first = new EvalRunner(m, s);
            first.run(items.subList(0, 1), out, System.err, null);
            assertEquals(1, first.modelCalls());
            // a torn last line, as a kill mid-write leaves it
            Files.writeString(out.resolve(EvalRunner.PREDICTIONS), "{\"id\": \"2\", \"vid", java.nio.file.StandardOpenOption.APPEND);
            EvalRunner second = new EvalRunner(m, s);
            List<Prediction> all = second.run(items, out, System.err, null);
            assertEquals(2, second.modelCalls(), "only the questions without a prediction");
            assertEquals(List.of("1", "2", "3"), all.stream().map(Prediction::id).toList());
            all.forEach(p -> assertNotNull(p.prediction()));
        }
    }

    @Test
    void throughKafkaTheStreamingApplicationAgreesWithTheDirectPath() throws Exception {
        Path set = write("two.jsonl", String.join("\n",
                "{\"id\": \"k1\", \"video\": \"street.mpg\", \"question\": \"What is happening?\", \"answer\": \"traffic\"}",
                "{\"id\": \"k2\", \"video\": \"xyz_0_8.mpg\", \"question\": \"Where is this?\", \"answer\": \"street\"}"));
        Path out = tmp.resolve("kafka");
        int code = Vidqa.run("eval", "--dataset", "jsonl", "--qa", set.toString(), "--videos", videos.toString(),
                "--model", RepoPaths.tinyT5().toString(), "--device", "cpu", "--out", out.toString(), "--through-kafka",
                "--beams", "2", "--max-new-tokens", "4");
        assertEquals(0, code);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(100.0, summary.get("pathAgreement").asDouble(), "both paths gave the same answers");
        for (String line : Files.readAllLines(out.resolve(EvalRunner.PREDICTIONS))) {
            JsonNode p = new ObjectMapper().readTree(line);
            assertEquals(p.get("prediction").asText(), p.get("kafkaPrediction").asText());
        }
    }
}
