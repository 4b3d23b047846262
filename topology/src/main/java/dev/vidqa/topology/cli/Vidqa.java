package dev.vidqa.topology.cli;

import dev.vidqa.qformer.Engines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vidqa} command line: configures and dispatches, nothing else. */
@Command(name = "vidqa", mixinStandardHelpOptions = true, version = "vidqa 0.1.0",
        description = "Answers natural-language questions about video with InstructBLIP, from files or Kafka streams.",
        subcommands = {DemoCommand.class, AnswerCommand.class, RunCommand.class, IngestCommand.class, AskCommand.class,
                EvalCommand.class, TrainCommand.class, InitModelCommand.class, WorldCommand.class, BrokerCommand.class, AnswersCommand.class, ConfigReferenceCommand.class, WatchCommand.class, SourceCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Vidqa implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        Engines.ensureOffline();
        CommandLine cli = new CommandLine(new Vidqa());
        cli.setExecutionExceptionHandler(new Errors());
        return cli.execute(args);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
