package dev.vidqa.topology.cli;

import dev.vidqa.topology.failure.FailureKind;
import dev.vidqa.topology.failure.Failures;
import picocli.CommandLine;

/**
 * Turns a failure into one line on stderr and the exit code of its {@link FailureKind} (the same
 * kinds the stream's {@code error} answers carry); the stack trace only with {@code --verbose}.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    static final int MODEL = FailureKind.MODEL.exitCode();
    static final int VIDEO = FailureKind.INVALID_MEDIA.exitCode();
    static final int INPUT = FailureKind.INVALID_REQUEST.exitCode();
    static final int INFRASTRUCTURE = FailureKind.INFRASTRUCTURE.exitCode();
    static final int OTHER = FailureKind.INTERNAL.exitCode();

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        Throwable t = e;
        while (t instanceof CommandLine.ExecutionException && t.getCause() != null) {
            t = t.getCause();
        }
        t = Failures.unwrap(t);
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
        FailureKind kind = Failures.kind(t);
        if (kind == FailureKind.INTERNAL && t instanceof IllegalArgumentException) {
            // on the command line every argument is checked by the constructor it feeds (settings,
            // devices, limits): an IllegalArgumentException that reaches here names a refused argument
            return INPUT;
        }
        return kind.exitCode();
    }
}
