package dev.vidqa.topology.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** The one JSON mapper of the records, strict about unknown fields, and serdes built on it. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    /**
     * For the application's own stored state (pending questions, stream info): fields it does not
     * know are ignored, so state written by a newer version during a rolling upgrade stays readable.
     */
    public static final ObjectMapper STATE = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {}

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Parses a question, turning every syntax or type problem into an {@link InvalidQuestionException}. */
    public static QuestionRecord question(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidQuestionException("empty record value (expected a JSON question)");
        }
        try {
            QuestionRecord q = MAPPER.readValue(bytes, QuestionRecord.class);
            if (q == null) {
                throw new InvalidQuestionException("null question");
            }
            return q;
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new InvalidQuestionException("not a valid question JSON: " + m, e);
        }
    }

    public static AnswerRecord answer(byte[] bytes) {
        try {
            return MAPPER.readValue(bytes, AnswerRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> Serde<T> serde(Class<T> type) {
        Serializer<T> ser = (topic, v) -> v == null ? null : write(v);
        Deserializer<T> de = (topic, b) -> {
            if (b == null) {
                return null;
            }
            try {
                return MAPPER.readValue(b, type);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return Serdes.serdeFrom(ser, de);
    }
}
