package dev.vidqa.topology.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.answerer.Answer;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.eval.VqaNormalizer;
import dev.vidqa.frames.DecodedFrame;
import dev.vidqa.frames.SampledVideo;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.qformer.FrameFeatures;
import dev.vidqa.topology.pipeline.VideoQa;
import dev.vidqa.topology.records.AnswerRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a dataset through the model, one question at a time, appending each prediction to
 * {@code predictions.jsonl} as soon as it is made: an interrupted run continues where it stopped.
 * A video's frames are decoded and encoded once for all its questions.
 */
public final class EvalRunner {
    public static final String PREDICTIONS = "predictions.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InstructBlipVideo model;
    private final EvalSettings settings;
    private final VideoDecoder decoder = new VideoDecoder();
    private final VideoQa qa;
    private final Map<Path, Object> videoCache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Object> e) {
            return size() > 8;
        }
    };
    private int modelCalls;

    public EvalRunner(InstructBlipVideo model, EvalSettings settings) {
        this.model = model;
        this.settings = settings;
        this.qa = new VideoQa(model, decoder);
    }

    /** Questions the model actually answered in this run (resumed ones excluded). */
    public int modelCalls() {
        return modelCalls;
    }

    /**
     * Predicts every item not yet in {@code out/predictions.jsonl} and returns all predictions in
     * item order. {@code viaKafka}, when given, holds the streaming application's answers to compare.
     */
    public List<Prediction> run(List<EvalItem> items, Path out, PrintStream progressOut, Map<String, AnswerRecord> viaKafka)
            throws IOException {
        Files.createDirectories(out);
        Path file = out.resolve(PREDICTIONS);
        Map<String, Prediction> done = readExisting(file);
        List<EvalItem> todo = items.stream().filter(i -> !done.containsKey(i.id())).toList();
        if (!done.isEmpty()) {
            progressOut.printf("vidqa eval: resuming: %d of %d questions already predicted in %s%n", items.size() - todo.size(),
                    items.size(), file);
        }
        Progress progress = new Progress(progressOut, items.size());
        int count = items.size() - todo.size();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            for (EvalItem item : todo) {
                Prediction p = predict(item, viaKafka == null ? null : viaKafka.get(item.id()));
                w.write(JSON.writeValueAsString(p));
                w.newLine();
                w.flush();
                done.put(item.id(), p);
                progress.update(++count, item.videoKey());
            }
        }
        List<Prediction> all = new ArrayList<>();
        for (EvalItem i : items) {
            all.add(done.get(i.id()));
        }
        return all;
    }

    static Map<String, Prediction> readExisting(Path file) throws IOException {
        Map<String, Prediction> out = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Prediction p = JSON.readValue(line, Prediction.class);
                out.put(p.id(), p);
            } catch (IOException e) {
                // a line cut by the interruption: that question is simply predicted again
            }
        }
        return out;
    }

    /** The question as the model sees it. */
    String question(EvalItem item) {
        return settings.preprocessQuestions() ? VqaNormalizer.question(item.question()) : item.question();
    }

    Prediction predict(EvalItem item, AnswerRecord kafka) {
        if (item.video() == null) {
            return new Prediction(item.id(), item.videoKey(), item.question(), item.type(), item.answers(), null, null, null,
                    Prediction.MISSING_VIDEO, "no file for video '" + item.videoKey() + "'", null, null, null, null, item.tags());
        }
        long t0 = System.nanoTime();
        try {
            Clip clip = clip(item.video());
            String q = question(item);
            Answer a = model.respond(clip.features(), q, item.candidates(), settings.options());
            modelCalls++;
            double score = settings.dataset().score(a.text(), item.answers());
            String viaKafka = kafka == null ? null : kafka.answer();
            return new Prediction(item.id(), item.videoKey(), item.question(), item.type(), item.answers(), a.text(),
                    VqaNormalizer.normalize(a.text()), score, Prediction.OK, null, clip.timestamps(),
                    (System.nanoTime() - t0) / 1e6, viaKafka, kafka == null ? null : a.text().equals(viaKafka), item.tags());
        } catch (VideoDecodeException | RuntimeException e) {
            return new Prediction(item.id(), item.videoKey(), item.question(), item.type(), item.answers(), null, null, 0.0,
                    Prediction.ERROR, e.getMessage(), null, (System.nanoTime() - t0) / 1e6, null, null, item.tags());
        }
    }

    /** A video's sampled frames, encoded once. */
    private record Clip(List<FrameFeatures> features, List<Double> timestamps) {}

    private Clip clip(Path video) throws VideoDecodeException {
        Object cached = videoCache.get(video);
        if (cached instanceof Clip c) {
            return c;
        }
        if (cached instanceof VideoDecodeException e) {
            throw e;
        }
        try {
            SampledVideo s = decoder.sample(new VideoSource.File(video), settings.sampling());
            Clip c = new Clip(qa.encode(s.frames()), s.frames().stream().map(DecodedFrame::timestamp).toList());
            videoCache.put(video, c);
            return c;
        } catch (VideoDecodeException e) {
            videoCache.put(video, e);
            throw e;
        }
    }
}
