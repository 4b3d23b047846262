package dev.vidqa.topology.app;

import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.ingest.ChunkHeaders;
import dev.vidqa.topology.failure.Failures;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that cannot be processed to the dead-letter topic: the original key, value and
 * headers, plus headers saying at which stage, why, what kind of failure, and where the original
 * is. A value too large to copy within the producer's request is left out (its size is named).
 */
public final class DeadLetterWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);

    /** Dead-letter headers added to the original record. */
    public static final String STAGE = "vidqa.dlq.stage";
    public static final String ERROR_CLASS = "vidqa.dlq.error-class";
    public static final String KIND = "vidqa.dlq.kind";
    public static final String REASON = "vidqa.dlq.reason";
    public static final String SOURCE = "vidqa.dlq.source";
    /** Header naming the size of a value too large to copy into a dead letter (the source header locates it). */
    public static final String VALUE_OMITTED = "vidqa.dlq.value-omitted";

    /** Where in the flow a record was refused. */
    enum Stage {
        CHUNK("chunk"), QUESTION("question"), ROUTING("routing");

        final String word;

        Stage(String word) {
            this.word = word;
        }
    }

    private final ProcessorContext<byte[], byte[]> context;
    private final int maxValueBytes;
    private final VidqaMetrics metrics;

    DeadLetterWriter(ProcessorContext<byte[], byte[]> context, int maxValueBytes, VidqaMetrics metrics) {
        this.context = context;
        this.maxValueBytes = maxValueBytes;
        this.metrics = metrics;
    }

    void write(Record<byte[], byte[]> record, Stage stage, Throwable failure) {
        Headers h = new RecordHeaders(record.headers().toArray());
        ChunkHeaders.put(h, STAGE, stage.word);
        ChunkHeaders.put(h, ERROR_CLASS, errorClass(failure));
        ChunkHeaders.put(h, KIND, Failures.kind(failure).word());
        String reason = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        ChunkHeaders.put(h, REASON, AnswerWriter.clip(reason));
        context.recordMetadata().ifPresent(m -> ChunkHeaders.put(h, SOURCE, m.topic() + "-" + m.partition() + "@"
                + m.offset()));
        byte[] value = record.value();
        if (value != null && value.length > maxValueBytes) {
            // a copy would not fit the producer's request or the topic: keep the reason and where the original is
            ChunkHeaders.put(h, VALUE_OMITTED, Integer.toString(value.length));
            value = null;
        }
        byte[] key = record.key() != null && record.key().length > AnswerWriter.MAX_ECHO_CHARS
                ? Arrays.copyOf(record.key(), AnswerWriter.MAX_ECHO_CHARS) : record.key();
        context.forward(new Record<>(key, value, record.timestamp(), h), VideoQaProcessor.DEAD_LETTERS_SINK);
        metrics.deadLetter(stage.word);
        LOG.warn("dead letter ({}): {}", stage.word, reason);
    }

    /** The failure's class; a decoding failure's with its reason ({@code VideoDecodeException/PROBE_FAILED}). */
    static String errorClass(Throwable failure) {
        Throwable cause = failure.getCause();
        if (cause instanceof VideoDecodeException v) {
            return "VideoDecodeException/" + v.reason();
        }
        return failure.getClass().getSimpleName();
    }
}
