package dev.vidqa.topology.train.world;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.train.AdamW;
import dev.vidqa.answerer.train.CheckpointWriter;
import dev.vidqa.answerer.train.EncodedExample;
import dev.vidqa.answerer.train.HeadTrainer;
import dev.vidqa.answerer.train.InstructionLoss;
import dev.vidqa.answerer.train.LinearHeads;
import dev.vidqa.answerer.train.Parameters;
import dev.vidqa.answerer.train.TrainableParts;
import dev.vidqa.answerer.train.WarmupCosineSchedule;
import dev.vidqa.frames.world.Attributes;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.FrameFeatures;
import dev.vidqa.topology.train.InstructionTemplates;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Stage 3 of the world recipe: the new language model alone (vision encoder and the describing
 * Q-Former frozen) learns the answer language — to answer the world's questions from the soft
 * prompts. For a share of the examples the LM's prompt has the question's colour and shape words
 * taken out ("what color is the object?") while the Q-Former still reads the whole question: the
 * LM must then take the answer from the soft prompt, not from what the words made likely in
 * training (no answer "square" to "the yellow object is which shape?" is ever seen, since yellow
 * squares are held out), which is what lets it answer about pairs it never saw. For the same reason
 * an answer is not learned against the attribute values training never showed with what the
 * question names ({@link SeenPairs}).
 */
public final class LmPretraining {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stage's settings; {@code hideRate} the share of LM prompts without attribute words. */
    public record Settings(Path model, Path world, Path out, Path featureStore, long steps, int videos, double lr,
                           long warmup, int frames, long seed, double hideRate, DeviceChoice device) {
        public Settings {
            if (steps <= 0 || videos <= 0 || !(lr > 0) || frames <= 0 || hideRate < 0 || hideRate > 1) {
                throw new IllegalArgumentException("lm pretraining needs positive steps, videos, lr, frames and a"
                        + " hideRate in [0,1]");
            }
        }
    }

    private final Settings s;
    private final PrintStream out;

    public LmPretraining(Settings s, PrintStream out) {
        this.s = s;
        this.out = out;
    }

    public Path run() throws IOException {
        try (InstructBlipVideo model = InstructBlipVideo.loadForTraining(s.model(), s.device())) {
            long t0 = System.nanoTime();
            List<WorldClips.Clip> clips = WorldClips.load(model, s.world(), s.featureStore(), s.frames());
            out.printf("vidqa train (lm): %d clips ready in %.1f s%n", clips.size(), (System.nanoTime() - t0) / 1e9);
            InstructionLoss qaLoss = new InstructionLoss(model);
            SeenPairs pairs = SeenPairs.of(s.world());
            Parameters params = Parameters.select(model.weights().loadedArrays(), TrainableParts.LM);
            AdamW adamw = AdamW.paper(params, 0.05);
            WarmupCosineSchedule schedule = WarmupCosineSchedule.paper(s.lr(), s.warmup(), s.steps());
            double lossAvg = 0;
            long t1 = System.nanoTime();
            try (HeadTrainer trainer = new HeadTrainer(params, adamw, schedule, 1.0)) {
                for (long step = 0; step < s.steps(); step++) {
                    SplittableRandom rnd = new SplittableRandom(s.seed() * 5_555_555 + step);
                    List<List<FrameFeatures>> videos = new ArrayList<>();
                    List<EncodedExample> examples = new ArrayList<>();
                    for (int v = 0; v < s.videos(); v++) {
                        WorldClips.Clip c = clips.get(rnd.nextInt(clips.size()));
                        WorldClips.Question q = c.questions().get(rnd.nextInt(c.questions().size()));
                        String template = WorldRecipe.TEMPLATES.get(rnd.nextInt(WorldRecipe.TEMPLATES.size()));
                        String instruction = InstructionTemplates.apply(template, q.text());
                        String prompt = rnd.nextDouble() < s.hideRate()
                                ? InstructionTemplates.apply(template, hideAttributes(q.text())) : instruction;
                        videos.add(c.features());
                        examples.add(qaLoss.encode(instruction, prompt, q.answer(), s.frames(),
                                pairs.excluded(q.text(), q.answer())));
                    }
                    HeadTrainer.StepResult r = trainer.step(m -> {
                        NDArray soft = model.vision().prompt(model.vision().stack(m, videos),
                                examples.stream().map(EncodedExample::instruction).toList(), s.frames());
                        return new LinearHeads.Value(qaLoss.fromSoftPrompt(soft, examples).loss(), new double[0]);
                    });
                    lossAvg = step == 0 ? r.loss() : 0.95 * lossAvg + 0.05 * r.loss();
                    if ((step + 1) % 50 == 0 || step + 1 == s.steps()) {
                        out.printf("vidqa train (lm): step %d/%d loss %.4f, %.0f samples/s%n", step + 1, s.steps(),
                                lossAvg, (step + 1) * s.videos() / ((System.nanoTime() - t1) / 1e9));
                    }
                }
            }
            ObjectNode state = JSON.createObjectNode().put("step", s.steps()).put("train", "lm")
                    .put("stage", "lm").put("seed", s.seed()).put("lr", s.lr()).put("hide_rate", s.hideRate())
                    .put("loss", lossAvg);
            return new CheckpointWriter(s.out(), 1).write("checkpoint-" + s.steps(), model, null, state);
        }
    }

    /**
     * The question with its colour words taken out and its shape words made "object": what it asks
     * stays, what it names goes ("which way does the red circle move?" -> "which way does the object move?").
     */
    static String hideAttributes(String question) {
        List<String> kept = new ArrayList<>();
        for (String token : question.split(" ")) {
            String word = token.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            if (Attributes.Colour.named(word) == null) {
                kept.add(Attributes.Shape.named(word) == null ? token : token.replaceFirst("(?i)[a-z]+", "object"));
            }
        }
        return String.join(" ", kept).replace("object object", "object");
    }
}
