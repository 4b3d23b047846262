package dev.vidqa.qformer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the small JSON files of a checkpoint or a run (config, shard index, tokenizer, state) with a
 * bound: only regular files (a FIFO or a link to {@code /dev/zero} would hang or fill the heap), at
 * most {@code maxBytes}, and never more than that even if the file grows while it is read.
 */
public final class JsonFiles {
    /** Configs, shard indexes, run state: real ones are kilobytes. */
    public static final long SMALL = 16L << 20;
    /** Tokenizers: a real one is a few megabytes (LLaMA's 1.8 MB, T5's 2.4 MB). */
    public static final long TOKENIZER = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonFiles() {}

    /** Throws {@link ConfigException} naming the file when it is not a regular file of at most {@code maxBytes}. */
    public static void checkReadable(Path file, long maxBytes) {
        if (!Files.exists(file)) {
            throw new ConfigException(file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + " is not a regular file (a device, pipe or directory); refusing to read it");
        }
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new ConfigException(file + " has " + size + " bytes, more than the " + maxBytes
                        + " such a file may have; refusing to read it");
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The parsed file, checked as {@link #checkReadable}. */
    public static JsonNode read(Path file, long maxBytes) throws IOException {
        checkReadable(file, maxBytes);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new ConfigException(file + " grew past " + maxBytes + " bytes while being read");
            }
            return JSON.readTree(bytes);
        }
    }
}
