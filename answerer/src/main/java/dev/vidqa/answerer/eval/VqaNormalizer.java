package dev.vidqa.answerer.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Answer normalisation of the standard VQA evaluation (the one MSVD-QA, MSRVTT-QA and iVQA
 * results are scored with): punctuation removed or turned into spaces, number words to digits,
 * articles dropped, contractions restored ({@code dont} to {@code don't}), lower case.
 */
public final class VqaNormalizer {
    private static final Map<String, String> CONTRACTIONS = loadContractions();
    private static final Map<String, String> NUMBERS = Map.ofEntries(
            Map.entry("none", "0"), Map.entry("zero", "0"), Map.entry("one", "1"), Map.entry("two", "2"),
            Map.entry("three", "3"), Map.entry("four", "4"), Map.entry("five", "5"), Map.entry("six", "6"),
            Map.entry("seven", "7"), Map.entry("eight", "8"), Map.entry("nine", "9"), Map.entry("ten", "10"));
    private static final Set<String> ARTICLES = Set.of("a", "an", "the");
    /** A period not followed by a digit (the reference's pattern, quirks included). */
    private static final Pattern PERIOD_STRIP = Pattern.compile("(?!<=\\d)(\\.)(?!\\d)");
    private static final Pattern COMMA_STRIP = Pattern.compile("(\\d)(,)(\\d)");
    private static final List<String> PUNCT = List.of(";", "/", "[", "]", "\"", "{", "}", "(", ")", "=", "+", "\\",
            "_", "-", ">", "<", "@", "`", ",", "?", "!");
    /** Question pre-processing of the original evaluation: these characters are removed. */
    private static final Pattern QUESTION_STRIP = Pattern.compile("[.!\"()*#:;~]");

    private VqaNormalizer() {}

    /** The full normalisation applied to predictions and references before exact matching. */
    public static String normalize(String answer) {
        String s = answer.replace('\n', ' ').replace('\t', ' ').strip();
        return digitsAndArticles(punctuation(s));
    }

    static String punctuation(String in) {
        String out = in;
        boolean digitComma = COMMA_STRIP.matcher(in).find();
        for (String p : PUNCT) {
            if (in.contains(p + " ") || in.contains(" " + p) || digitComma) {
                out = out.replace(p, "");
            } else {
                out = out.replace(p, " ");
            }
        }
        return PERIOD_STRIP.matcher(out).replaceAll("");
    }

    static String digitsAndArticles(String in) {
        List<String> words = new ArrayList<>();
        for (String w : in.toLowerCase(Locale.ROOT).split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            String word = NUMBERS.getOrDefault(w, w);
            if (!ARTICLES.contains(word)) {
                words.add(CONTRACTIONS.getOrDefault(word, word));
            }
        }
        return String.join(" ", words);
    }

    /** The original evaluation's question pre-processing: lower case, {@code .!"()*#:;~} removed. */
    public static String question(String q) {
        return QUESTION_STRIP.matcher(q.toLowerCase(Locale.ROOT)).replaceAll("").stripTrailing();
    }

    private static Map<String, String> loadContractions() {
        Map<String, String> m = new HashMap<>();
        try (InputStream in = VqaNormalizer.class.getResourceAsStream("vqa-contractions.tsv")) {
            if (in == null) {
                throw new IllegalStateException("vqa-contractions.tsv is missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] kv = line.split("\t");
                m.put(kv[0], kv[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(m);
    }
}
