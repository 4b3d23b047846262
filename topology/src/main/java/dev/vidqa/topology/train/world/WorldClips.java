package dev.vidqa.topology.train.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.train.TrainableParts;
import dev.vidqa.frames.FrameSelector;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.frames.world.Scene;
import dev.vidqa.frames.world.WorldWriter;
import dev.vidqa.qformer.FrameFeatures;
import dev.vidqa.qformer.serve.DiskFeatureStore;
import dev.vidqa.topology.pipeline.VideoQa;
import dev.vidqa.topology.train.BatchMaker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The clips of a generated world as the question stages read them: each clip's frozen vision
 * features (from the feature store, encoded once when missing), its scene, the times of the
 * frames uniform sampling picked (as the decoder did) and its questions with their answers.
 */
final class WorldClips {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A question of a clip with its true answer. */
    record Question(String text, String answer) {}

    /** One clip: stored features (one per sampled frame), scene, frame times, questions. */
    record Clip(List<FrameFeatures> features, Scene scene, double[] times, List<Question> questions) {}

    private WorldClips() {}

    static List<Clip> load(InstructBlipVideo model, Path world, Path featureStore, int frames) throws IOException {
        return load(model, world, Integer.MAX_VALUE, featureStore, frames);
    }

    /** The first {@code clips} clips of the world. */
    static List<Clip> load(InstructBlipVideo model, Path world, int clips, Path featureStore, int frames)
            throws IOException {
        List<Scene> scenes = WorldWriter.readScenes(world.resolve("scenes.jsonl"));
        scenes = scenes.subList(0, Math.min(clips, scenes.size()));
        Map<String, List<Question>> questions = new HashMap<>();
        for (String line : Files.readAllLines(world.resolve("qa.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode q = JSON.readTree(line);
                questions.computeIfAbsent(q.get("video").asText(), k -> new ArrayList<>())
                        .add(new Question(q.get("question").asText(), q.get("answer").asText()));
            }
        }
        SamplingSpec sampling = SamplingSpec.uniform(frames);
        DiskFeatureStore store = new DiskFeatureStore(featureStore);
        String tag = BatchMaker.tag(model, sampling, TrainableParts.QFORMER);
        VideoDecoder decoder = new VideoDecoder();
        VideoQa qa = new VideoQa(model, decoder);
        List<Clip> out = new ArrayList<>();
        for (Scene scene : scenes) {
            Path video = world.resolve(scene.video());
            String key = store.key(video, tag);
            List<FrameFeatures> features = store.get(key);
            if (features == null) {
                try {
                    features = qa.encode(decoder.sample(new VideoSource.File(video), sampling).frames());
                } catch (VideoDecodeException e) {
                    throw new IOException(video + ": " + e.getMessage(), e);
                }
                store.put(key, features);
            }
            // the frames uniform sampling picks from this clip's frames (at i / fps), as the decoder did
            double[] ts = new double[scene.frameCount()];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = (double) i / scene.fps();
            }
            int[] picked = FrameSelector.select(sampling, ts);
            double[] t = new double[picked.length];
            for (int i = 0; i < picked.length; i++) {
                t[i] = ts[picked[i]];
            }
            if (features.size() != t.length) {
                throw new IOException(video + ": " + features.size() + " frames stored, " + t.length + " expected");
            }
            out.add(new Clip(features, scene, t, questions.getOrDefault(scene.video(),
                    List.of(new Question("how many objects are there at the beginning?", "0")))));
        }
        return out;
    }
}
