package dev.vidqa.topology.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.generate.GenerationOptions;
import dev.vidqa.frames.DecodedFrame;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.testing.RepoPaths;
import dev.vidqa.topology.pipeline.VideoQa;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code vidqa answer} end to end on the real sample video and the tiny checkpoint. */
class AnswerCommandTest {
    static final Path VIDEO = RepoPaths.sampleVideo();
    static final Path MODEL = RepoPaths.tinyT5();

    record Run(int code, String out, String err) {}

    static Run vidqa(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Vidqa());
        cli.setExecutionExceptionHandler(new Errors());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Without options the default (world) model answers from the frames its vidqa.json names; --frames wins. */
    @Test
    void theModelsOwnSettingsApplyUnlessAnOptionSaysOtherwise() throws Exception {
        Path world = Path.of(System.getProperty("vidqa.home", ".."), "topology/models/vidqa-world-t5");
        Path clip = world.resolve("samples/clips/000001.mp4");
        Run r = vidqa("answer", "--video", clip.toString(), "--question", "which color does the square have?",
                "--device", "cpu", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(8, j.get("frameTimestamps").size(), "the world model's 8 frames");
        assertEquals(world.toRealPath().toString(), Path.of(j.get("model").asText()).toRealPath().toString());
        assertEquals(false, j.get("randomWeights").asBoolean());
        assertTrue(j.get("worldModel").asBoolean(), "the world model says what it is");
        Run two = vidqa("answer", "--video", clip.toString(), "--question", "which color does the square have?",
                "--device", "cpu", "--json", "--frames", "2", "--sampling", "headtail");
        assertEquals(0, two.code(), two.err());
        JsonNode k = new ObjectMapper().readTree(two.out());
        assertEquals(2, k.get("frameTimestamps").size(), "--frames overrides the model's");
        assertEquals("headtail", k.get("sampling").asText());
        Run text = vidqa("answer", "--video", clip.toString(), "--question", "which color does the square have?",
                "--device", "cpu");
        assertTrue(text.out().contains("knows only vidqa's generated world"), text.out());
    }

    @Test
    void jsonAnswerMatchesTheLibraryOnTheSameFrames() throws Exception {
        Run r = vidqa("answer", "--model", MODEL.toString(), "--video", VIDEO.toString(), "--question",
                "what is happening in the street?", "--device", "cpu", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(4, j.get("frameTimestamps").size());
        assertEquals(190, j.get("decodableFrames").asInt());
        assertEquals(1.88, j.get("frameTimestamps").get(1).asDouble(), 1e-6);
        assertTrue(j.get("randomWeights").asBoolean());
        assertTrue(j.get("timingsMs").get("total").asDouble() > 0);
        // the same frames through the library give the same tokens
        try (InstructBlipVideo m = InstructBlipVideo.load(MODEL, DeviceChoice.CPU)) {
            List<DecodedFrame> frames = new VideoDecoder().sample(new VideoSource.File(VIDEO), SamplingSpec.uniform(4)).frames();
            var a = new VideoQa(m, new VideoDecoder()).answer(frames, "what is happening in the street?", List.of(),
                    AnswerOptions.defaults());
            long[] ids = new ObjectMapper().convertValue(j.get("tokenIds"), long[].class);
            assertEquals(java.util.Arrays.toString(a.tokenIds()), java.util.Arrays.toString(ids));
        }
    }

    @Test
    void candidatesAreRankedAndPrintedAsText() {
        Run r = vidqa("answer", "--model", MODEL.toString(), "--video", VIDEO.toString(), "--question", "what moves?",
                "--candidates", "cars, people walking ,a dog", "--sampling", "headtail", "--frames", "3", "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ranked candidates:"), r.out());
        assertTrue(r.out().contains("people walking"), r.out());
        assertTrue(r.out().contains("frames: 0.00s 3.80s 7.56s (headtail, 3 of 190 decodable)"), r.out());
        assertTrue(r.out().contains("random-weight"), "the tiny model is labelled: " + r.out());
    }

    @Test
    void errorsAreOneLineWithAnExitCode() {
        Run missing = vidqa("answer", "--model", MODEL.toString(), "--video", "/no/such.mp4", "--question", "x");
        assertEquals(Errors.VIDEO, missing.code());
        assertEquals("vidqa: /no/such.mp4: no such file", missing.err().strip());

        Run notVideo = vidqa("answer", "--model", MODEL.toString(), "--video", MODEL.resolve("config.json").toString(),
                "--question", "x");
        assertEquals(Errors.VIDEO, notVideo.code());
        assertTrue(notVideo.err().contains("not a video FFmpeg can read"), notVideo.err());
        assertEquals(1, notVideo.err().strip().lines().count());

        Run badModel = vidqa("answer", "--model", VIDEO.getParent().toString(), "--video", VIDEO.toString(),
                "--question", "x");
        assertEquals(Errors.MODEL, badModel.code());
        assertTrue(badModel.err().contains("config.json does not exist"), badModel.err());
        assertFalse(badModel.err().contains("\tat "), "no stack trace without --verbose");

        Run verbose = vidqa("answer", "--model", VIDEO.getParent().toString(), "--video", VIDEO.toString(),
                "--question", "x", "--verbose");
        assertTrue(verbose.err().contains("\tat "), "stack trace with --verbose");

        Run badDevice = vidqa("answer", "--video", VIDEO.toString(), "--question", "x", "--device", "tpu");
        assertEquals(Errors.INPUT, badDevice.code());
        assertTrue(badDevice.err().contains("unknown device 'tpu'"), badDevice.err());

        Run usage = vidqa("answer", "--video", VIDEO.toString());
        assertEquals(2, usage.code(), "picocli's usage error");
    }

    @Test
    void greedyOptionsReachTheModel() throws Exception {
        Run r = vidqa("answer", "--model", MODEL.toString(), "--video", VIDEO.toString(), "--question", "what?",
                "--beams", "1", "--max-new-tokens", "3", "--repetition-penalty", "1", "--json", "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("tokenIds").size() <= 3);
        assertEquals(GenerationOptions.videoQa().numBeams(), 5, "defaults stay the paper's");
    }
}
