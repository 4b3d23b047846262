package dev.vidqa.topology.train.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.frames.world.Attributes;
import dev.vidqa.frames.world.QuestionType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The world's words: every phrasing with every attribute filled in, every answer, every template,
 * split as the tokenizers' {@code Whitespace} pre-tokenizer splits ({@code \w+|[^\w\s]+}).
 */
final class WorldVocabulary {
    private static final Pattern WORD = Pattern.compile("\\w+|[^\\w\\s]+");

    private WorldVocabulary() {}

    static List<String> words(Path templates) throws IOException {
        Set<String> words = new LinkedHashSet<>();
        for (QuestionType t : QuestionType.values()) {
            for (String p : t.phrasings()) {
                add(words, p.replace("{c}", "").replace("{s}", "").replace("{t}", ""));
            }
        }
        for (Enum<?>[] values : List.<Enum<?>[]>of(Attributes.Colour.values(), Attributes.Shape.values(),
                Attributes.Motion.values())) {
            for (Enum<?> v : values) {
                add(words, v.name());
            }
        }
        add(words, "beginning end yes no 0 1 2 3 4 5 6 7 8 9");
        JsonNode t = new ObjectMapper().readTree(templates.toFile());
        t.forEach(list -> list.forEach(x -> add(words, x.asText().replace("{}", " "))));
        return new ArrayList<>(words);
    }

    private static void add(Set<String> words, String text) {
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            words.add(m.group());
        }
    }
}
