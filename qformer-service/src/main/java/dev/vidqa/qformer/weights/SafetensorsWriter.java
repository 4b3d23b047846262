package dev.vidqa.qformer.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@code .safetensors} file, tensor by tensor, without holding the file in memory. Used to
 * build random-weight checkpoints for benchmarks and malformed ones for tests.
 */
public final class SafetensorsWriter {

    /** Produces a tensor's little-endian bytes on demand, so large tensors are generated while writing. */
    public interface Source {
        void write(ByteBuffer out);
    }

    private record Entry(String name, StorageType dtype, long[] shape, Source source) {}

    private final List<Entry> entries = new ArrayList<>();

    public SafetensorsWriter add(String name, StorageType dtype, long[] shape, Source source) {
        entries.add(new Entry(name, dtype, shape.clone(), source));
        return this;
    }

    public SafetensorsWriter addFloats(String name, long[] shape, float[] values) {
        return add(name, StorageType.F32, shape, b -> {
            for (float v : values) {
                b.putFloat(v);
            }
        });
    }

    public SafetensorsWriter addLongs(String name, long[] shape, long[] values) {
        return add(name, StorageType.I64, shape, b -> {
            for (long v : values) {
                b.putLong(v);
            }
        });
    }

    public void write(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Entry e : entries) {
            long bytes = e.dtype().bytes();
            for (long d : e.shape()) {
                bytes *= d;
            }
            ObjectNode t = header.putObject(e.name());
            t.put("dtype", e.dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.shape()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] h = json.writeValueAsBytes(header);
        int padded = (h.length + 7) / 8 * 8; // the format aligns the data section to 8 bytes
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(h);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAll(ch, head.flip());
            for (Entry e : entries) {
                long bytes = e.dtype().bytes();
                for (long d : e.shape()) {
                    bytes *= d;
                }
                ByteBuffer buf = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
                e.source().write(buf);
                if (buf.position() != bytes) {
                    throw new IllegalStateException("tensor '" + e.name() + "' wrote " + buf.position()
                            + " bytes, expected " + bytes);
                }
                writeAll(ch, buf.flip());
            }
        }
    }

    private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
