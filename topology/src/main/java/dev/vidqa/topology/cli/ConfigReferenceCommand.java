package dev.vidqa.topology.cli;

import dev.vidqa.topology.app.ConfigReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code vidqa config-reference}: prints the configuration reference (every key, its default and meaning). */
@Command(name = "config-reference", mixinStandardHelpOptions = true,
        description = "Prints every vidqa.* key with its default and meaning (Markdown: deploy/config-reference.md is"
                + " this output).")
final class ConfigReferenceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(ConfigReference.markdown());
        return 0;
    }
}
