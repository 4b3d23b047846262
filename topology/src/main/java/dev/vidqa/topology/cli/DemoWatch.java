package dev.vidqa.topology.cli;

import dev.vidqa.frames.world.Scene;
import dev.vidqa.frames.world.WorldObject;
import dev.vidqa.frames.world.WorldSplit;
import dev.vidqa.frames.world.WorldWriter;
import dev.vidqa.topology.client.CompactedTopic;
import dev.vidqa.topology.records.IncidentRecord;
import dev.vidqa.topology.records.Json;
import dev.vidqa.topology.records.WatchRecord;
import dev.vidqa.topology.records.Window;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The demo's standing question on the generated feed: "is there a {colour} {shape}?" about a pair
 * the model was trained on that some clips show and others do not, evaluated every 6 s of stream
 * time over the latest 6 s (one clip each), an incident for every run of clips that show it. The
 * scenes say the truth of every evaluation and of every incident.
 */
final class DemoWatch {
    static final double EVERY = 6.0;

    final WatchRecord watch;
    /** The true answer of the evaluation at 6 s, 12 s, ... (one per clip). */
    final List<String> truth = new ArrayList<>();

    private DemoWatch(WatchRecord watch) {
        this.watch = watch;
    }

    /** The watch for the feed in {@code dir} (its scenes.jsonl), or null when no pair comes and goes. */
    static DemoWatch forFeed(Path dir, String stream) throws IOException {
        List<Scene> scenes = WorldWriter.readScenes(dir.resolve("scenes.jsonl"));
        Map<WorldSplit.Combo, Integer> clipsWith = new LinkedHashMap<>();
        for (Scene s : scenes) {
            s.objects().stream().map(o -> new WorldSplit.Combo(o.color(), o.shape())).distinct()
                    .forEach(c -> clipsWith.merge(c, 1, Integer::sum));
        }
        WorldSplit.Combo best = null;
        for (Map.Entry<WorldSplit.Combo, Integer> e : clipsWith.entrySet()) {
            if (!e.getKey().heldOut() && e.getValue() < scenes.size() && (best == null || e.getValue() > clipsWith.get(best))) {
                best = e.getKey();
            }
        }
        if (best == null) {
            return null;
        }
        String question = "is there a " + best.color().word() + " " + best.shape().word() + "?";
        DemoWatch w = new DemoWatch(new WatchRecord("demo-" + best.color().word() + "-" + best.shape().word(), stream,
                null, question, EVERY, Window.latest(EVERY), null, null, new WatchRecord.Trigger(List.of("yes"), null), 1, 1));
        for (Scene s : scenes) {
            boolean shown = false;
            for (WorldObject o : s.objects()) {
                shown |= o.color() == best.color() && o.shape() == best.shape();
            }
            w.truth.add(shown ? "yes" : "no");
        }
        return w;
    }

    /** The evaluation's question id at the end of clip {@code k} (0-based), as the application names it. */
    String evaluationId(String stream, int k) {
        return String.format(Locale.ROOT, "watch/%s/%s/%.3f", watch.id(), stream, EVERY * (k + 1));
    }

    /** The truth of an evaluation by its question id, null when it is not this watch's. */
    String truthOf(String questionId, String stream) {
        for (int k = 0; k < truth.size(); k++) {
            if (evaluationId(stream, k).equals(questionId)) {
                return truth.get(k);
            }
        }
        return null;
    }

    /** The incidents the truth makes (open after 1, close after 1): "from-to" of every run of "yes" clips. */
    List<String> trueIncidents() {
        List<String> out = new ArrayList<>();
        Integer from = null;
        for (int k = 0; k <= truth.size(); k++) {
            boolean yes = k < truth.size() && truth.get(k).equals("yes");
            if (yes && from == null) {
                from = k;
            } else if (!yes && from != null) {
                out.add(span(EVERY * (from + 1), k < truth.size() ? EVERY * k : null));
                from = null;
            }
        }
        return out;
    }

    static String span(double from, Double to) {
        return String.format(Locale.ROOT, "%.0f-%s", from, to == null ? "open" : String.format(Locale.ROOT, "%.0f", to));
    }

    private final java.util.Set<String> printed = new java.util.HashSet<>();

    /**
     * Prints the incidents published since the last call as they open and close, each beside the
     * truth of the scenes (the run of clips showing the pair that it belongs to).
     */
    void printNew(Properties client, String topic, PrintStream out) throws IOException {
        List<String> truths = trueIncidents();
        CompactedTopic.readAll(client, topic, Duration.ofSeconds(10), r -> {
            IncidentRecord i = Json.MAPPER.readValue(r.value(), IncidentRecord.class);
            if (!i.watchId().equals(watch.id()) || !printed.add(i.state() + "@" + i.from())) {
                return;
            }
            String from = String.format(Locale.ROOT, "%.0f-", i.from());
            String truth = truths.stream().filter(t -> t.startsWith(from)).findFirst().orElse(null);
            boolean right = truth != null && (i.to() == null || truth.equals(span(i.from(), i.to())));
            out.printf("  >> incident %s: %s %s s  (truth: %s)%s%n", i.state(), watch.id(),
                    i.to() == null ? String.format(Locale.ROOT, "since %.0f", i.from()) : span(i.from(), i.to()),
                    truth == null ? "no incident starts there" : "shown " + truth.replace("open", "the end") + " s",
                    right ? "  ✓" : "  ✗");
        });
    }

    /** How the published incidents compare with the true ones: right, and published but not true. */
    record Tally(int right, int wrong) {
        /** {@code got}: the spans published ("6-12", "30-open"); {@code truths}: the true spans. */
        static Tally of(List<String> got, List<String> truths) {
            int right = (int) got.stream().filter(truths::contains).count();
            return new Tally(right, got.size() - right);
        }
    }

    /** Reads every incident the application published, prints each beside the truth, and tallies them. */
    Tally printIncidents(Properties client, String topic, PrintStream out) throws IOException {
        Map<String, IncidentRecord> byFrom = new LinkedHashMap<>();
        CompactedTopic.readAll(client, topic, Duration.ofSeconds(10), r -> {
            IncidentRecord i = Json.MAPPER.readValue(r.value(), IncidentRecord.class);
            if (i.watchId().equals(watch.id())) {
                byFrom.put(String.format(Locale.ROOT, "%.0f", i.from()), i); // a closed one replaces its open one
            }
        });
        List<String> truths = trueIncidents();
        out.printf("%nwatch '%s' on %s: \"%s\" every %.0f s over the latest %.0f s; incidents (stream time, s):%n",
                watch.id(), watch.streamId(), watch.question(), EVERY, EVERY);
        List<String> spans = new ArrayList<>();
        for (IncidentRecord i : byFrom.values()) {
            // the feed ended without the stream being forgotten: an incident still open is compared as such
            String got = span(i.from(), i.to());
            spans.add(got);
            out.printf("     %s %s  answers %s%s%n", i.state(), got, i.answers(), truths.contains(got) ? "  ✓" : "  ✗");
        }
        out.printf("     truth: %s%n", truths.isEmpty() ? "(none)" : String.join(", ", truths));
        return Tally.of(spans, truths);
    }
}
