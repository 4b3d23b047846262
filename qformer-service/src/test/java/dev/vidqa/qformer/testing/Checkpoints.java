package dev.vidqa.qformer.testing;

import dev.vidqa.qformer.weights.SafetensorsFile;
import dev.vidqa.qformer.weights.SafetensorsWriter;
import dev.vidqa.qformer.weights.StorageType;
import dev.vidqa.qformer.weights.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/** Copies of a fixture checkpoint with surgery on its weights, for loader tests. */
public final class Checkpoints {
    private Checkpoints() {}

    /** A tensor as bytes, dtype and shape. */
    public record Tensor(StorageType dtype, long[] shape, ByteBuffer bytes) {}

    /** Reads every tensor of a safetensors file into memory (fixture-sized files only). */
    public static Map<String, Tensor> read(Path file) {
        try {
            SafetensorsFile f = SafetensorsFile.open(file);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (TensorInfo info : f.tensors().values()) {
                ByteBuffer b = f.map(info).buffer();
                ByteBuffer copy = ByteBuffer.allocate(b.remaining()).order(b.order()).put(b).flip();
                out.put(info.name(), new Tensor(info.dtype(), info.shape(), copy));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, Map<String, Tensor> tensors) {
        SafetensorsWriter w = new SafetensorsWriter();
        tensors.forEach((name, t) -> w.add(name, t.dtype(), t.shape(), out -> out.put(t.bytes().duplicate())));
        try {
            w.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies everything but the weights of {@code src} into {@code dst}. */
    public static void copyWithoutWeights(Path src, Path dst) {
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path rel = src.relativize(p);
                String name = p.getFileName().toString();
                if (name.endsWith(".safetensors") && !name.startsWith("golden")) {
                    continue;
                }
                Path target = dst.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies checkpoint {@code src} to {@code dst}, passing each tensor through {@code edit}
     * (return null to drop it).
     */
    public static Path edit(Path src, Path dst, BiFunction<String, Tensor, Tensor> edit) {
        copyWithoutWeights(src, dst);
        Map<String, Tensor> out = new LinkedHashMap<>();
        read(src.resolve("model.safetensors")).forEach((k, t) -> {
            Tensor e = edit.apply(k, t);
            if (e != null) {
                out.put(k, e);
            }
        });
        write(dst.resolve("model.safetensors"), out);
        return dst;
    }

    /** Renames keys with {@code rename} (the rest of the checkpoint unchanged). */
    public static Path renameKeys(Path src, Path dst, java.util.function.UnaryOperator<String> rename) {
        copyWithoutWeights(src, dst);
        Map<String, Tensor> out = new LinkedHashMap<>();
        read(src.resolve("model.safetensors")).forEach((k, t) -> out.put(rename.apply(k), t));
        write(dst.resolve("model.safetensors"), out);
        return dst;
    }

    /** Splits the checkpoint's weights into {@code shards} files with a {@code model.safetensors.index.json}. */
    public static Path shard(Path src, Path dst, int shards) {
        copyWithoutWeights(src, dst);
        Map<String, Tensor> all = read(src.resolve("model.safetensors"));
        int per = (all.size() + shards - 1) / shards;
        StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        int i = 0;
        Map<String, Tensor> current = new LinkedHashMap<>();
        boolean first = true;
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            int shard = i / per + 1;
            String file = String.format("model-%05d-of-%05d.safetensors", shard, shards);
            index.append(first ? "" : ", ").append('"').append(e.getKey()).append("\": \"").append(file).append('"');
            first = false;
            current.put(e.getKey(), e.getValue());
            i++;
            if (i % per == 0 || i == all.size()) {
                write(dst.resolve(file), current);
                current = new LinkedHashMap<>();
            }
        }
        index.append("}}");
        try {
            Files.writeString(dst.resolve("model.safetensors.index.json"), index);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dst;
    }
}
