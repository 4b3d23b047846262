package dev.vidqa.topology.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidqa.answerer.Answer;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.frames.DecodedFrame;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.topology.pipeline.AnswerSettings;
import dev.vidqa.topology.pipeline.VideoQa;
import dev.vidqa.topology.train.world.WorldRecipe;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vidqa answer}: one question about one video file or URL. */
@Command(name = "answer", mixinStandardHelpOptions = true,
        description = "Decode a video, sample frames, and answer a question about it (or rank candidate answers).")
public final class AnswerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--video", required = true, paramLabel = "FILE_OR_URL",
            description = "a video file, or a URL FFmpeg reads (rtsp://, udp://, http(s)://, file:)")
    String video;

    @Option(names = "--question", required = true, description = "the question")
    String question;

    @Option(names = "--candidates", paramLabel = "A,B,C", description = "rank these answers instead of generating one")
    String candidates;

    @Option(names = "--duration", defaultValue = "10s",
            description = "how long to read a live stream (e.g. 10s, 1m) (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--verbose", description = "stack traces on errors, and logs")
    boolean verbose;

    /** The answer settings of this run (the model's with the options given). */
    private AnswerSettings settings;

    private String samplingName() {
        return settings.sampling().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> cands = ModelOptions.candidates(candidates);
        settings = model.answerSettings(); // read the model's vidqa.json once
        try (InstructBlipVideo m = InstructBlipVideo.load(model.modelDir(), model.deviceChoice())) {
            VideoQa qa = new VideoQa(m, new VideoDecoder());
            VideoQa.Result r = qa.ask(VideoSource.of(video), settings.samplingSpec(), parseDuration(duration), question,
                    cands, settings.options());
            if (json) {
                out.println(toJson(r, m).toString());
            } else {
                printText(out, r, m);
            }
        }
        out.flush();
        return 0;
    }

    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read duration '" + s + "' (e.g. 10s, 500ms, 2m)");
        }
    }

    private void printText(PrintWriter out, VideoQa.Result r, InstructBlipVideo m) {
        Answer a = r.answer();
        if (Defaults.isTinyModel(m.directory())) {
            out.println("(model: the tiny random-weight fixture checkpoint; its answers are meaningless words."
                    + " Use --model DIR for a real checkpoint.)");
        } else if (WorldRecipe.isWorldModel(m.directory())) {
            out.println("(model: vidqa-world-t5, which knows only vidqa's generated world of coloured shapes; see its"
                    + " README.md. Use --model DIR for a real checkpoint.)");
        }
        if (a.candidates().isEmpty()) {
            out.println("answer: " + (a.text().isBlank()
                    ? "(no text: the tokens " + java.util.Arrays.toString(a.tokenIds()) + " decode to nothing)" : a.text()));
            out.printf("score: %.4f (%s, %d tokens)%n", a.score(), a.finishReason().name().toLowerCase(),
                    a.tokenIds().length);
        } else {
            out.println("answer: " + a.text());
            out.println("ranked candidates:");
            int i = 1;
            for (Answer.RankedCandidate c : a.candidates()) {
                out.printf("  %d. %-24s %.4f%n", i++, c.text(), c.score());
            }
        }
        StringBuilder ts = new StringBuilder();
        for (DecodedFrame f : r.frames().frames()) {
            ts.append(String.format("%.2fs ", f.timestamp()));
        }
        out.printf("frames: %s(%s, %d of %d decodable)%n", ts, samplingName(), r.frames().frames().size(),
                r.frames().totalFrames());
        Answer.Timings t = a.timings();
        out.printf("timing: decode %.0f ms, vision %.0f ms, q-former %.0f ms, language model %.0f ms, total %.0f ms%n",
                r.decodeMs(), t.visionMs(), t.qformerMs(), t.languageModelMs(), r.decodeMs() + t.totalMs());
    }

    private ObjectNode toJson(VideoQa.Result r, InstructBlipVideo m) {
        ObjectMapper json = new ObjectMapper();
        Answer a = r.answer();
        ObjectNode o = json.createObjectNode();
        o.put("question", question);
        o.put("answer", a.text());
        o.put("score", a.score());
        ArrayNode ids = o.putArray("tokenIds");
        for (long id : a.tokenIds()) {
            ids.add(id);
        }
        o.put("finishReason", a.finishReason() == null ? null : a.finishReason().name().toLowerCase());
        if (!a.candidates().isEmpty()) {
            ArrayNode c = o.putArray("candidates");
            a.candidates().forEach(x -> c.addObject().put("answer", x.text()).put("score", x.score()));
        }
        ArrayNode ts = o.putArray("frameTimestamps");
        r.frames().frames().forEach(f -> ts.add(Math.round(f.timestamp() * 1e6) / 1e6));
        o.put("sampling", samplingName());
        o.put("decodableFrames", r.frames().totalFrames());
        o.put("video", video);
        o.put("model", m.directory().toString());
        o.put("randomWeights", Defaults.isTinyModel(m.directory()));
        o.put("worldModel", WorldRecipe.isWorldModel(m.directory()));
        ObjectNode t = o.putObject("timingsMs");
        t.put("decode", r.decodeMs());
        t.put("vision", a.timings().visionMs());
        t.put("qformer", a.timings().qformerMs());
        t.put("languageModel", a.timings().languageModelMs());
        t.put("total", r.decodeMs() + a.timings().totalMs());
        return o;
    }
}
