package dev.vidqa.topology.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.generate.GenerationOptions;
import dev.vidqa.frames.Sampling;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.topology.eval.DatasetReader;
import dev.vidqa.topology.eval.EvalDataset;
import dev.vidqa.topology.eval.EvalItem;
import dev.vidqa.topology.eval.EvalReport;
import dev.vidqa.topology.eval.EvalRunner;
import dev.vidqa.topology.eval.EvalSettings;
import dev.vidqa.topology.eval.KafkaEval;
import dev.vidqa.topology.pipeline.AnswerSettings;
import dev.vidqa.topology.eval.Prediction;
import dev.vidqa.topology.records.AnswerRecord;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vidqa eval}: accuracy on MSVD-QA, MSRVTT-QA, iVQA or a JSONL dataset, measured the paper's way. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on a video QA dataset: accuracy overall and by question type, reports, predictions.")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, description = "msvd-qa, msrvtt-qa, ivqa or jsonl")
    String dataset;

    @Option(names = "--qa", required = true, paramLabel = "FILE", description = "the annotation file (JSON, CSV or JSONL)")
    Path qa;

    @Option(names = "--videos", paramLabel = "DIR", description = "directory of the videos")
    Path videos;

    @Option(names = "--mapping", paramLabel = "FILE", description = "MSVD's youtube_mapping.txt (vidN -> file name)")
    Path mapping;

    @Option(names = "--model", paramLabel = "DIR", description = "checkpoint (default: the shipped world model)")
    Path model;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto")
    String device;

    @Option(names = "--limit", description = "only the first N questions")
    Integer limit;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: eval-out/DATASET)")
    Path out;

    @Option(names = "--candidates", paramLabel = "FILE",
            description = "rank these answers (one per line, or a JSON list) instead of generating")
    Path candidates;

    @Option(names = "--through-kafka", description = "also answer through the streaming application and compare the paths")
    boolean throughKafka;

    @Option(names = "--bootstrap-servers", description = "cluster for --through-kafka (default: an embedded broker)")
    String bootstrapServers;

    @Mixin
    AnswerSettingsOptions answerOptions = new AnswerSettingsOptions();

    @Option(names = "--raw-questions", description = "do not lower-case and strip .!\"()*#:;~ from questions")
    boolean rawQuestions;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        EvalDataset d = EvalDataset.parse(dataset);
        Path modelDir = model != null ? model : Defaults.model();
        Path outDir = out != null ? out : Path.of("eval-out", d.cliName());
        List<String> cands = readCandidates(candidates);
        List<EvalItem> items = DatasetReader.read(d, qa, videos, mapping, cands);
        if (limit != null && limit < items.size()) {
            items = items.subList(0, Math.max(0, limit));
        }
        long missing = items.stream().filter(i -> i.video() == null).count();
        err.printf("vidqa eval: %s, %d questions, %d videos missing under %s%n", d.cliName(), items.size(), missing, videos);
        // the original evaluation's choices, then the model's own, then the command line
        AnswerSettings answer = AnswerSettings.DEFAULTS
                .withOverrides(Map.of("sampling", "headtail", "max-new-tokens", Integer.toString(d.maxNewTokens())))
                .withOverrides(AnswerSettings.modelKeys(modelDir))
                .withOverrides(answerOptions.keys());
        EvalSettings settings = new EvalSettings(d, answer, !rawQuestions);
        Map<String, AnswerRecord> viaKafka = null;
        if (throughKafka) {
            viaKafka = KafkaEval.answer(items, modelDir, DeviceChoice.parse(device), settings, bootstrapServers, err);
        }
        long t0 = System.nanoTime();
        List<Prediction> predictions;
        try (InstructBlipVideo m = InstructBlipVideo.load(modelDir, DeviceChoice.parse(device))) {
            EvalRunner runner = new EvalRunner(m, settings);
            predictions = runner.run(items, outDir, err, viaKafka);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("annotations", qa.toString());
        info.put("videos", String.valueOf(videos));
        info.put("frames", answer.samplingSpec().frames());
        info.put("sampling", answer.sampling().name().toLowerCase(java.util.Locale.ROOT));
        info.put("beams", answer.generation().numBeams());
        info.put("maxNewTokens", answer.generation().maxNewTokens());
        info.put("minNewTokens", answer.generation().minNewTokens());
        info.put("lengthPenalty", answer.generation().lengthPenalty());
        info.put("repetitionPenalty", answer.generation().repetitionPenalty());
        info.put("prompt", answer.prompt());
        info.put("mode", cands.isEmpty() ? "generation" : "vocabulary ranking over " + cands.size() + " answers");
        info.put("questionsPreprocessed", !rawQuestions);
        info.put("throughKafka", throughKafka);
        info.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        EvalReport report = EvalReport.of(d.cliName(), modelDir.getFileName().toString(), predictions, info);
        report.write(outDir);
        System.out.printf("%s: accuracy %.2f over %d questions (%d without video, %d errors)%s%n", d.cliName(),
                report.accuracy(), report.scored(), report.missingVideos(), report.errors(),
                report.pathAgreement() == null ? "" : String.format("; Kafka and direct paths agree on %.1f%%",
                        report.pathAgreement()));
        report.byType().forEach((t, v) -> {
            if (v.n() > 0) {
                System.out.printf("  %-8s %6.2f  (n=%d)%n", t, v.accuracy(), v.n());
            }
        });
        report.byTag().forEach((t, v) -> System.out.printf("  %-16s %6.2f  (n=%d)%n", t, v.accuracy(), v.n()));
        System.out.printf("reports: %s, %s, %s%n", outDir.resolve("summary.json"), outDir.resolve("report.html"),
                outDir.resolve(EvalRunner.PREDICTIONS));
        return 0;
    }

    static List<String> readCandidates(Path file) throws java.io.IOException {
        if (file == null) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        List<String> out = new ArrayList<>();
        if (text.startsWith("[")) {
            new ObjectMapper().readTree(text).forEach(n -> out.add(n.asText()));
        } else {
            text.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(out::add);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": no candidate answers");
        }
        return out;
    }
}
