package dev.vidqa.topology.cli;

import dev.vidqa.answerer.PromptTooLongException;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.qformer.config.ConfigException;
import dev.vidqa.qformer.weights.WeightException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns a failure into one line on stderr and an exit code; the stack trace only with
 * {@code --verbose}.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    static final int MODEL = 3;
    static final int VIDEO = 4;
    static final int INPUT = 5;
    static final int OTHER = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        Throwable t = e;
        while ((t instanceof CommandLine.ExecutionException || t instanceof UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        boolean verbose = parsed.hasMatchedOption("--verbose")
                || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose"));
        cli.getErr().println("vidqa: " + message(t));
        if (verbose) {
            t.printStackTrace(cli.getErr());
        }
        return code(t);
    }

    static String message(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return m.lines().findFirst().orElse(m) + (m.lines().count() > 1 ? " (more with --verbose)" : "");
    }

    static int code(Throwable t) {
        if (t instanceof VideoDecodeException) {
            return VIDEO;
        }
        if (t instanceof ConfigException || t instanceof WeightException) {
            return MODEL;
        }
        if (t instanceof PromptTooLongException || t instanceof IllegalArgumentException) {
            return INPUT;
        }
        if (t instanceof IOException) {
            return OTHER;
        }
        return OTHER;
    }
}
