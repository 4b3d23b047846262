package dev.vidqa.qformer.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.qformer.weights.SafetensorsFile;
import dev.vidqa.qformer.weights.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One fixture set exported by the reference implementation: a tiny checkpoint directory with its
 * {@code golden.json} (ids, generations) and {@code golden.safetensors} (inputs, intermediates).
 */
public final class GoldenSet {
    private final Path dir;
    private final JsonNode json;
    private final SafetensorsFile tensors;

    GoldenSet(Path dir) {
        this.dir = dir;
        try {
            this.json = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
            this.tensors = SafetensorsFile.open(dir.resolve("golden.safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture set " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    public String name() {
        return dir.getFileName().toString();
    }

    /** "t5" or "llama". */
    public String kind() {
        return json.get("kind").asText();
    }

    public JsonNode json() {
        return json;
    }

    public int numFrames() {
        return json.get("num_frames").asInt();
    }

    public List<String> instructions() {
        List<String> out = new ArrayList<>();
        json.get("instructions").forEach(n -> out.add(n.asText()));
        return out;
    }

    public boolean hasTensor(String name) {
        return tensors.tensors().containsKey(name);
    }

    /** A golden tensor, copied into {@code m} as float32 or int64. */
    public NDArray tensor(NDManager m, String name) {
        TensorInfo info = tensors.tensors().get(name);
        if (info == null) {
            throw new IllegalArgumentException(dir + "/golden.safetensors has no tensor '" + name + "'");
        }
        try {
            ByteBuffer b = tensors.map(info).buffer();
            DataType type = switch (info.dtype()) {
                case F32 -> DataType.FLOAT32;
                case I64 -> DataType.INT64;
                default -> throw new IllegalArgumentException(name + ": unexpected dtype " + info.dtype());
            };
            ByteBuffer copy = ByteBuffer.allocateDirect(b.remaining()).order(b.order()).put(b).flip();
            return m.create(copy, new Shape(info.shape()), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON list of integer lists as {@code long[][]}. */
    public static long[][] longRows(JsonNode rows) {
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            out[i] = longs(rows.get(i));
        }
        return out;
    }

    public static long[] longs(JsonNode row) {
        long[] r = new long[row.size()];
        for (int j = 0; j < r.length; j++) {
            r[j] = row.get(j).asLong();
        }
        return r;
    }

    @Override
    public String toString() {
        return name();
    }
}
