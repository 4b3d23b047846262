package dev.vidqa.answerer.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.qformer.config.JsonFiles;
import dev.vidqa.qformer.weights.SafetensorsWriter;
import dev.vidqa.qformer.weights.StorageType;
import dev.vidqa.qformer.weights.WeightStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes training checkpoints in the Hugging Face layout, so that {@code vidqa answer --model}
 * (and transformers) load them: {@code config.json}, the tokenizers, and {@code model.safetensors}
 * with every weight under its original key and shape. Beside them, for {@code --resume}:
 * {@code optimizer.safetensors} (AdamW's moments) and {@code trainer_state.json}.
 *
 * <p>A checkpoint is written into a temporary directory and renamed into place, then {@code
 * latest.json} is replaced atomically: a crash or a full disk leaves the previous checkpoint
 * intact and named by {@code latest.json}. A checkpoint is never written over the files the model
 * was loaded from (they stay memory-mapped).
 */
public final class CheckpointWriter {
    public static final String LATEST = "latest.json";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "trainer_state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path out;
    private final int keep;

    /** @param keep how many checkpoints to keep (older ones are deleted after a new one is in place) */
    public CheckpointWriter(Path out, int keep) {
        this.out = out;
        this.keep = Math.max(1, keep);
    }

    /** Writes checkpoint {@code name} and points {@code latest.json} at it; returns its directory. */
    public Path write(String name, InstructBlipVideo model, AdamW optimizer, ObjectNode state) throws IOException {
        Files.createDirectories(out);
        Path target = out.resolve(name);
        Path source = model.directory().toAbsolutePath().normalize();
        if (target.toAbsolutePath().normalize().equals(source)) {
            throw new IOException("refusing to write checkpoint " + target + " over the checkpoint it was loaded from");
        }
        Path tmp = Files.createTempDirectory(out, "." + name + ".tmp-");
        try {
            copyCompanions(source, tmp);
            writeWeights(model.weights(), tmp.resolve(WeightStore.SINGLE_FILE));
            if (optimizer != null) {
                SafetensorsWriter w = new SafetensorsWriter();
                optimizer.forEachState((key, array) -> add(w, key, array));
                w.write(tmp.resolve(OPTIMIZER));
                state.put("optimizer_step", optimizer.stepCount());
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(STATE).toFile(), state);
            if (Files.exists(target)) {
                deleteTree(target); // an older run's checkpoint of the same name
            }
            move(tmp, target);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        ObjectNode latest = JSON.createObjectNode().put("checkpoint", name).put("step", state.path("step").asLong());
        Path latestTmp = Files.createTempFile(out, ".latest", ".json");
        JSON.writeValue(latestTmp.toFile(), latest);
        move(latestTmp, out.resolve(LATEST));
        prune(name);
        return target;
    }

    /** The checkpoint {@code latest.json} names, or null when there is none. */
    public static Path latest(Path out) throws IOException {
        Path f = out.resolve(LATEST);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        String name = JsonFiles.read(f, JsonFiles.SMALL).path("checkpoint").asText("");
        Path dir = out.resolve(name);
        if (name.isEmpty() || name.contains("/") || name.contains("..") || !Files.isDirectory(dir)) {
            throw new IOException(f + " names checkpoint '" + name + "', which is not a directory of " + out);
        }
        return dir;
    }

    /** Everything a checkpoint directory holds besides its weights and fixtures: config, tokenizers. */
    private static void copyCompanions(Path source, Path into) throws IOException {
        try (Stream<Path> s = Files.list(source)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                boolean weights = n.endsWith(".safetensors") || n.equals(WeightStore.INDEX_FILE);
                boolean trainingFiles = n.equals(STATE) || n.equals(LATEST) || n.startsWith("golden")
                        || n.startsWith("train_golden");
                if (weights || trainingFiles) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    copyTree(p, into.resolve(n));
                } else if (Files.isRegularFile(p)) {
                    Files.copy(p, into.resolve(n));
                }
            }
        }
    }

    private static void writeWeights(WeightStore store, Path file) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        var arrays = store.loadedArrays();
        java.util.Set<String> skipped = new java.util.HashSet<>(store.skippedKeys());
        for (String key : store.keys()) {
            NDArray a = arrays.get(key);
            if (a != null) {
                add(w, key, a);
            } else if (skipped.contains(key)) {
                WeightStore.TensorBytes raw = store.rawBytes(key);
                w.add(key, raw.info().dtype(), raw.info().shape(), b -> b.put(raw.bytes().duplicate()));
            }
        }
        w.write(file);
    }

    private static void add(SafetensorsWriter w, String key, NDArray a) {
        StorageType type = switch (a.getDataType()) {
            case FLOAT32 -> StorageType.F32;
            case FLOAT64 -> StorageType.F64;
            case INT64 -> StorageType.I64;
            case INT32 -> StorageType.I32;
            case INT8 -> StorageType.I8;
            case UINT8 -> StorageType.U8;
            case BOOLEAN -> StorageType.BOOL;
            default -> throw new IllegalArgumentException(key + ": cannot save " + a.getDataType());
        };
        long[] shape = a.getShape().getShape();
        w.add(key, type, shape, b -> {
            NDArray cpu = a.getDevice().isGpu() ? a.toDevice(ai.djl.Device.cpu(), true) : a;
            ByteBuffer bytes = cpu.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            b.put(bytes);
            if (cpu != a) {
                cpu.close();
            }
        });
    }

    private void prune(String current) throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(out)) {
            dirs = s.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().startsWith("checkpoint-"))
                    .filter(p -> Files.isRegularFile(p.resolve(STATE)))
                    .sorted(Comparator.comparingLong(CheckpointWriter::stepOf))
                    .toList();
        }
        for (int i = 0; i < dirs.size() - keep; i++) {
            if (!dirs.get(i).getFileName().toString().equals(current)) {
                deleteTree(dirs.get(i));
            }
        }
    }

    private static long stepOf(Path dir) {
        try {
            return JsonFiles.read(dir.resolve(STATE), JsonFiles.SMALL).path("step").asLong();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** AdamW's saved moments by key, for {@link AdamW#restore}. */
    public static java.util.Map<String, float[]> readOptimizerState(Path checkpoint) throws IOException {
        var file = dev.vidqa.qformer.weights.SafetensorsFile.open(checkpoint.resolve(OPTIMIZER));
        java.util.Map<String, float[]> out = new java.util.HashMap<>();
        for (var info : file.tensors().values()) {
            if (info.dtype() != StorageType.F32) {
                throw new IOException(checkpoint.resolve(OPTIMIZER) + ": '" + info.name() + "' is not F32");
            }
            float[] v = new float[Math.toIntExact(info.numel())];
            file.map(info).buffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            out.put(info.name(), v);
        }
        return out;
    }

}
