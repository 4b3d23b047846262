package dev.vidqa.topology.cli;

import dev.vidqa.answerer.init.ModelInit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vidqa init-model}: random weights and word-level tokenizers for a configuration, to train from scratch. */
@Command(name = "init-model", mixinStandardHelpOptions = true,
        description = "Writes a new InstructBLIP-video checkpoint (Hugging Face layout) with random weights for a"
                + " config.json and word-level tokenizers built from a vocabulary list; train it with"
                + " `vidqa train --train all`.")
final class InitModelCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "an InstructBLIP-video config.json (vision_config, qformer_config, text_config of t5 or llama)")
    Path config;

    @Option(names = "--vocab", required = true, paramLabel = "FILE", description = "the words, separated by white space")
    Path vocab;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the new checkpoint directory")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (Files.size(vocab) > (16 << 20)) {
            throw new IllegalArgumentException(vocab + ": a vocabulary file over 16 MiB");
        }
        List<String> words = Arrays.stream(Files.readString(vocab, StandardCharsets.UTF_8).split("\\s+"))
                .filter(w -> !w.isBlank()).toList();
        ModelInit.write(config, words, out, seed);
        System.out.println("vidqa init-model: wrote " + out + " (" + words.size() + " words)");
        return 0;
    }
}
