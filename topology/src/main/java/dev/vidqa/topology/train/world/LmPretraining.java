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
import dev.vidqa.frames.world.QuestionType;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.FrameFeatures;
import dev.vidqa.topology.train.InstructionTemplates;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Stage 3 of the world recipe: the new language model alone (vision encoder and the describing
 * Q-Former frozen) learns the answer language — to answer the world's questions from the soft
 * prompts. For a share of the examples the LM's prompt has the question's colour and shape words
 * taken out ("what color is the object?") while the Q-Former still reads the whole question: the
 * LM must then take the answer from the soft prompt, not from what the words made likely in
 * training (no answer "square" to "the yellow object is which shape?" is ever seen, since yellow
 * squares are held out), which is what lets it answer about pairs it never saw. For the same reason
 * an answer is not learned against the attribute values training never showed with what the
 * question names ({@link SeenPairs}). For another share the LM's copy has its words in a random
 * order: a phrasing training never used ("the square is which color?") is then read by what its words
 * ask, not by how close its word order comes to a trained phrasing of another type (trained on
 * phrasings alone, one run answered every such colour question with a direction, another every such
 * motion question "yes"). A shuffle that reads as a held-out phrasing is drawn again, so none is shown.
 * Reordering alone did not make the LM read words by what they ask: for another share the function
 * words (those several types share) are dropped and added at random ({@link #varyFunctionWords}).
 */
public final class LmPretraining {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The held-out phrasings, a word per {c}/{s}/{t}: what a shuffle must not produce. */
    private static final List<Pattern> HELD_OUT = Arrays.stream(QuestionType.values())
            .flatMap(t -> t.heldOutPhrasings().stream())
            .map(p -> Pattern.compile(Pattern.quote(p).replaceAll("\\{[cst]\\}", "\\\\E[a-z]+\\\\Q"),
                    Pattern.CASE_INSENSITIVE))
            .toList();

    /**
     * Words that trained phrasings of two or more question types use ("the", "is", "which", "does"...):
     * they do not say what is asked, so the LM's copy may lose or gain some ({@link #varyFunctionWords}).
     */
    static final List<String> FUNCTION_WORDS = functionWords();

    /**
     * The stage's settings; {@code hideRate} the share of LM prompts without attribute words,
     * {@code noiseRate} the share (drawn independently) whose function words are dropped and added at
     * random, {@code shuffleRate} the share (drawn independently) with their words in a random order.
     */
    public record Settings(Path model, Path world, Path out, Path featureStore, long steps, int videos, double lr,
                           long warmup, int frames, long seed, double hideRate, double noiseRate, double shuffleRate,
                           DeviceChoice device) {
        public Settings {
            if (steps <= 0 || videos <= 0 || !(lr > 0) || frames <= 0 || !share(hideRate) || !share(noiseRate)
                    || !share(shuffleRate)) {
                throw new IllegalArgumentException("lm pretraining needs positive steps, videos, lr, frames and a"
                        + " hideRate, noiseRate and shuffleRate in [0,1]");
            }
        }

        private static boolean share(double rate) {
            return rate >= 0 && rate <= 1;
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
                        String asked = rnd.nextDouble() < s.hideRate() ? hideAttributes(q.text()) : q.text();
                        asked = rnd.nextDouble() < s.noiseRate() ? varyFunctionWords(asked, rnd) : asked;
                        asked = rnd.nextDouble() < s.shuffleRate() ? shuffleWords(asked, rnd) : asked;
                        String prompt = InstructionTemplates.apply(template, asked);
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
                    .put("noise_rate", s.noiseRate())
                    .put("shuffle_rate", s.shuffleRate())
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

    /**
     * The question's words in a random order, its question mark kept at the end
     * ("what color is the square?" -> "the is square color what?"), drawn again where the order is
     * a held-out phrasing (one is a reordering of a trained one: "the red circle is visible when?").
     */
    static String shuffleWords(String question, SplittableRandom rnd) {
        return rewritten(question, words -> {
            for (int i = words.size() - 1; i > 0; i--) { // Fisher-Yates, in place: a redraw shuffles the last draw
                int j = rnd.nextInt(i + 1);
                words.set(j, words.set(i, words.get(j)));
            }
            return words;
        });
    }

    /**
     * The question with each function word dropped at even odds and up to two function words put in at
     * random places ("what color is the square?" -> "color is which the square?"); the words that say
     * what is asked ("color") stay. Drawn again where it reads as a held-out phrasing.
     * Trained on the phrasings alone, the LM read "the square is which color?" — a held-out phrasing
     * of trained words — by its "is ... which" (answers: directions, 33 % right; 80 % with a trained
     * phrasing in the LM's copy and the held-out one in the Q-Former's).
     */
    static String varyFunctionWords(String question, SplittableRandom rnd) {
        return rewritten(question, words -> {
            List<String> kept = new ArrayList<>();
            for (String w : words) {
                if (!FUNCTION_WORDS.contains(w.toLowerCase(Locale.ROOT)) || rnd.nextBoolean()) {
                    kept.add(w);
                }
            }
            for (int added = rnd.nextInt(3); added > 0; added--) {
                kept.add(rnd.nextInt(kept.size() + 1), FUNCTION_WORDS.get(rnd.nextInt(FUNCTION_WORDS.size())));
            }
            return kept;
        });
    }

    /**
     * The question's words (its question mark kept aside) rewritten by {@code rewrite}, drawn again up
     * to 100 times while the result is empty or reads as a held-out phrasing; the question itself if
     * every draw does. {@code rewrite} gets the same list on every draw and may change it.
     */
    private static String rewritten(String question, UnaryOperator<List<String>> rewrite) {
        String q = question.strip();
        boolean asks = q.endsWith("?");
        List<String> words = new ArrayList<>(List.of((asks ? q.substring(0, q.length() - 1) : q).strip().split("\\s+")));
        for (int attempt = 0; attempt < 100; attempt++) {
            List<String> out = rewrite.apply(words);
            String text = String.join(" ", out) + (asks ? "?" : "");
            if (!out.isEmpty() && !heldOutPhrasing(text)) {
                return text;
            }
        }
        return q;
    }

    private static List<String> functionWords() {
        Map<String, Set<QuestionType>> typesOf = new TreeMap<>();
        for (QuestionType t : QuestionType.values()) {
            for (String p : t.trainedPhrasings()) {
                for (String w : p.replaceAll("\\{[cst]\\}|\\?", " ").trim().split("\\s+")) {
                    typesOf.computeIfAbsent(w.toLowerCase(Locale.ROOT), k -> new HashSet<>()).add(t);
                }
            }
        }
        return typesOf.entrySet().stream().filter(e -> e.getValue().size() >= 2).map(Map.Entry::getKey).toList();
    }

    /** Whether the text is a held-out phrasing of some question type. */
    static boolean heldOutPhrasing(String text) {
        return HELD_OUT.stream().anyMatch(p -> p.matcher(text).matches());
    }
}
