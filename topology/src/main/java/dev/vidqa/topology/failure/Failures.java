package dev.vidqa.topology.failure;

import ai.djl.engine.EngineException;
import dev.vidqa.answerer.PromptTooLongException;
import dev.vidqa.answerer.train.NonFiniteLossException;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.ingest.Chunker;
import dev.vidqa.qformer.config.ConfigException;
import dev.vidqa.qformer.weights.WeightException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;

/**
 * The kind of any failure: the typed exceptions say it themselves; the modules below this one
 * (which cannot see this package) raise their own types, mapped here once.
 */
public final class Failures {
    private Failures() {}

    public static FailureKind kind(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof VidqaException v) {
            return v.kind();
        }
        if (e instanceof PromptTooLongException) {
            return FailureKind.INVALID_REQUEST;
        }
        if (e instanceof VideoDecodeException) {
            return FailureKind.INVALID_MEDIA;
        }
        if (e instanceof ConfigException || e instanceof WeightException || e instanceof NonFiniteLossException
                || e instanceof EngineException) {
            return FailureKind.MODEL;
        }
        if (e instanceof Chunker.SinkException || e instanceof KafkaException || e instanceof IOException
                || e instanceof OutOfMemoryError) {
            return FailureKind.INFRASTRUCTURE;
        }
        // a plain IllegalArgumentException from inside is a defect: requests are validated where they
        // enter (and raise InvalidRequestException there), so it is not the caller's to fix
        return FailureKind.INTERNAL;
    }

    /** The failure itself, without the wrappers of futures and unchecked I/O. */
    public static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException
                || e instanceof UncheckedIOException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
