package dev.vidqa.topology.train;

import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.train.AnswerExclusions;
import dev.vidqa.answerer.train.EncodedExample;
import dev.vidqa.answerer.train.InstructionLoss;
import dev.vidqa.answerer.train.TrainBatch;
import dev.vidqa.answerer.train.TrainableParts;
import dev.vidqa.frames.SampledVideo;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.qformer.FrameFeatures;
import dev.vidqa.qformer.serve.DiskFeatureStore;
import dev.vidqa.topology.pipeline.VideoQa;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a step number into that step's micro-batches. The examples, their templates and their
 * target answers are a pure function of (seed, step), so a resumed run sees exactly the batches
 * the uninterrupted one would have. A video that is missing or cannot be decoded is skipped,
 * remembered and replaced by another draw of the same step.
 *
 * <p>Per video, the frames' vision features (or, when the vision encoder trains, their
 * preprocessed pixels) come from the {@link DiskFeatureStore}; on a miss the video is decoded,
 * sampled and encoded once and stored.
 */
public final class BatchMaker {
    private final InstructBlipVideo model;
    private final TrainSettings settings;
    private final List<TrainDataset> datasets;
    private final MixSampler mixer;
    private final InstructionTemplates templates;
    private final InstructionLoss loss;
    private final DiskFeatureStore store;
    private final VideoDecoder decoder = new VideoDecoder();
    private final VideoQa qa;
    private final String storeTag;
    private final Map<Path, String> bad = new ConcurrentHashMap<>();
    private final AnswerExclusions exclusions;

    BatchMaker(InstructBlipVideo model, TrainSettings settings, List<TrainDataset> datasets, MixSampler mixer,
               InstructionTemplates templates, DiskFeatureStore store, AnswerExclusions exclusions) {
        this.exclusions = exclusions;
        this.model = model;
        this.settings = settings;
        this.datasets = datasets;
        this.mixer = mixer;
        this.templates = templates;
        this.loss = new InstructionLoss(model);
        this.store = store;
        this.qa = new VideoQa(model, decoder);
        this.storeTag = tag(model, settings.sampling(), settings.parts());
    }

    /** Whether entries hold pixels (the vision encoder trains) rather than vision features. */
    boolean storesPixels() {
        return !settings.parts().visionFrozen();
    }

    /** Videos skipped so far, with the reason. */
    Map<Path, String> skipped() {
        return Map.copyOf(bad);
    }

    /**
     * Encodes every training video into the store before the first step (vision frozen): training
     * then runs on cached features alone instead of sharing the cores with the encoder for an epoch.
     */
    int warm(java.io.PrintStream out) {
        java.util.LinkedHashSet<Path> videos = new java.util.LinkedHashSet<>();
        datasets.forEach(d -> d.present().forEach(e -> videos.add(e.video())));
        int done = 0;
        long t0 = System.nanoTime();
        for (Path v : videos) {
            try {
                frames(v);
            } catch (VideoDecodeException | IOException | RuntimeException ex) {
                bad.put(v, ex.getMessage());
            }
            if (++done % 250 == 0 || done == videos.size()) {
                out.printf("vidqa train: %d/%d videos in the feature store (%.0f s)%n", done, videos.size(),
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        return videos.size();
    }

    /** The step's random source: independent of every other step, so any step can be made alone. */
    static SplittableRandom random(long seed, long step) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + 1);
    }

    PreparedStep make(long step) {
        SplittableRandom rnd = random(settings.seed(), step);
        List<TrainBatch> micro = new ArrayList<>();
        List<String> skippedNow = new ArrayList<>();
        for (int mb = 0; mb < settings.accumulation(); mb++) {
            List<EncodedExample> examples = new ArrayList<>();
            List<List<FrameFeatures>> features = new ArrayList<>();
            List<float[][]> pixels = new ArrayList<>();
            int attempts = 0;
            while (examples.size() < settings.microBatch()) {
                if (++attempts > 100 * settings.microBatch()) {
                    throw new IllegalStateException("could not fill a batch: " + bad.size()
                            + " videos were skipped (missing or undecodable); see the report");
                }
                TrainDataset d = datasets.get(mixer.next(rnd));
                TrainExample e = d.examples().get(rnd.nextInt(d.size()));
                String prompt = templates.draw(e.task(), e.question(), rnd);
                String answer = e.answers().get(rnd.nextInt(e.answers().size()));
                if (e.video() == null) {
                    bad.putIfAbsent(Path.of(e.videoKey()), "missing");
                    skippedNow.add(e.videoKey() + ": missing");
                    continue;
                }
                if (bad.containsKey(e.video())) {
                    continue;
                }
                List<FrameFeatures> frames;
                try {
                    frames = frames(e.video());
                } catch (VideoDecodeException | IOException ex) {
                    bad.put(e.video(), ex.getMessage());
                    skippedNow.add(e.video() + ": " + ex.getMessage());
                    continue;
                }
                examples.add(loss.encode(prompt, prompt, answer, frames.size(), exclusions.excluded(e.question(), answer)));
                if (settings.parts().visionFrozen()) {
                    features.add(frames);
                } else {
                    pixels.add(frames.stream().map(FrameFeatures::data).toArray(float[][]::new));
                }
            }
            micro.add(settings.parts().visionFrozen() ? TrainBatch.ofFeatures(examples, features)
                    : TrainBatch.ofPixels(examples, pixels));
        }
        return new PreparedStep(step, micro, skippedNow);
    }

    /**
     * The stored frames of a video: vision features (rows = tokens) when the vision encoder is
     * frozen, else preprocessed pixels (one row of 3*S*S values per frame).
     */
    List<FrameFeatures> frames(Path video) throws VideoDecodeException, IOException {
        String key = store.key(video, storeTag);
        List<FrameFeatures> stored = store.get(key);
        if (stored != null) {
            return stored;
        }
        SampledVideo sampled = decoder.sample(new VideoSource.File(video), settings.sampling());
        if (sampled.frames().isEmpty()) {
            throw new IOException(video + ": no frames");
        }
        // the same preprocessing and encoding as an answer (a frame picked twice is encoded once)
        List<FrameFeatures> out;
        if (settings.parts().visionFrozen()) {
            out = qa.encode(sampled.frames());
        } else {
            out = new ArrayList<>();
            for (float[] p : qa.pixels(sampled.frames())) {
                out.add(new FrameFeatures(p, 1, p.length));
            }
        }
        store.put(key, out);
        return out;
    }

    /**
     * What a stored entry depends on besides the video: the sampling, and the vision encoder's
     * weights (a fingerprint of its first and last tensors) or, for pixels, the image size.
     */
    public static String tag(InstructBlipVideo model, SamplingSpec sampling, TrainableParts parts) {
        StringBuilder sb = new StringBuilder(sampling.toString()).append('|').append(model.imageSize());
        if (parts.visionFrozen()) {
            try {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                Map<String, ai.djl.ndarray.NDArray> w = model.weights().loadedArrays();
                for (String k : List.of("vision_model.embeddings.patch_embedding.weight",
                        "vision_model.post_layernorm.weight")) {
                    ai.djl.ndarray.NDArray a = w.get(k);
                    if (a != null) {
                        d.update(a.toByteBuffer());
                    }
                }
                sb.append("|vision:").append(HexFormat.of().formatHex(d.digest()), 0, 16);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        } else {
            sb.append("|pixels");
        }
        return sb.toString();
    }
}
