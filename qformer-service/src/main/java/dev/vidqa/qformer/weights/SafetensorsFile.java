package dev.vidqa.qformer.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code .safetensors} file: the JSON header is parsed eagerly, tensor bytes are memory-mapped
 * on demand, one mapping per tensor, so a 10 GB shard never passes through the Java heap.
 *
 * <p>Format: {@code u64 LE header length N | N bytes of JSON | data}. Each header entry is {@code
 * name: {dtype, shape, data_offsets: [begin, end]}} with offsets relative to the data section.
 */
public final class SafetensorsFile {

    /** Headers larger than this are not safetensors files but garbage or an attack. */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(
            Path path, long dataStart, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Parses the header of {@code path}; no tensor data is read. */
    public static SafetensorsFile open(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new WeightException(path + ": not a safetensors file (only " + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > size) {
                throw new WeightException(
                        path + ": not a safetensors file (header length " + headerLen
                                + " for a file of " + size + " bytes)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8);
            JsonNode root;
            try {
                root = JSON.readTree(header.array());
            } catch (IOException e) {
                throw new WeightException(path + ": safetensors header is not valid JSON: " + e.getMessage(), e);
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(e.getKey(), parseEntry(path, e.getKey(), e.getValue(), dataLen));
            }
            checkNoOverlap(path, tensors.values());
            return new SafetensorsFile(path, dataStart, Collections.unmodifiableMap(tensors), metadata);
        }
    }

    /** Two tensors sharing bytes would alias each other's weights (and a write to one would change the other). */
    private static void checkNoOverlap(Path path, java.util.Collection<TensorInfo> tensors) {
        java.util.List<TensorInfo> byBegin = new java.util.ArrayList<>(tensors);
        byBegin.removeIf(t -> t.end() == t.begin());
        byBegin.sort(java.util.Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < byBegin.size(); i++) {
            TensorInfo a = byBegin.get(i - 1);
            TensorInfo b = byBegin.get(i);
            if (b.begin() < a.end()) {
                throw new WeightException(path + ": tensors '" + a.name() + "' [" + a.begin() + ", " + a.end() + ") and '"
                        + b.name() + "' [" + b.begin() + ", " + b.end() + ") overlap in the data section");
            }
        }
    }

    private static TensorInfo parseEntry(Path path, String name, JsonNode node, long dataLen) {
        String where = path + ": tensor '" + name + "'";
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtypeNode == null || shapeNode == null || offsets == null || offsets.size() != 2) {
            throw new WeightException(where + ": header entry lacks dtype, shape or data_offsets");
        }
        StorageType dtype = StorageType.parse(dtypeNode.asText(), where);
        long[] shape = new long[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            if (shape[i] < 0) {
                throw new WeightException(where + ": negative dimension in shape " + shapeNode);
            }
            try {
                numel = Math.multiplyExact(numel, shape[i]);
            } catch (ArithmeticException overflow) {
                throw new WeightException(where + ": shape " + shapeNode + " has more elements than a long can count");
            }
        }
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(numel, (long) dtype.bytes());
        } catch (ArithmeticException overflow) {
            throw new WeightException(where + ": shape " + shapeNode + " of " + dtype + " has more bytes than a long can count");
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLen) {
            throw new WeightException(
                    where + ": data_offsets [" + begin + ", " + end + "] outside the data section of "
                            + dataLen + " bytes (truncated file?)");
        }
        if (end - begin != expectedBytes) {
            throw new WeightException(
                    where + ": " + (end - begin) + " bytes of data for " + dtype + " shape "
                            + shapeNode + " (expected " + expectedBytes + ")");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new WeightException("unexpected end of file while reading a safetensors header");
            }
            pos += n;
        }
    }

    /**
     * Maps the bytes of one tensor. The mapping is {@code PRIVATE} (copy-on-write) where the file
     * can be opened for writing: libtorch may write into tensors created over it, and tensors over a
     * read-only mapping turn that into a SIGSEGV. Files that cannot be opened for writing (a model
     * volume mounted read-only, say) are mapped read-only and the caller must copy.
     */
    public Mapping map(TensorInfo info) throws IOException {
        long len = info.end() - info.begin();
        if (len > Integer.MAX_VALUE) {
            throw new WeightException(path + ": tensor '" + info.name() + "' has " + len
                    + " bytes; tensors over 2 GiB are not supported");
        }
        long position = dataStart + info.begin();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new Mapping(order(ch.map(FileChannel.MapMode.PRIVATE, position, len)), true);
        } catch (java.nio.file.FileSystemException e) {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                return new Mapping(order(ch.map(FileChannel.MapMode.READ_ONLY, position, len)), false);
            }
        }
    }

    private static ByteBuffer order(MappedByteBuffer b) {
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A tensor's bytes; {@code copyOnWrite} tells whether tensors may be created over them in place. */
    public record Mapping(ByteBuffer buffer, boolean copyOnWrite) {}

    public Path path() {
        return path;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** True when {@code path} looks like a safetensors file by name. */
    public static boolean isSafetensors(Path path) {
        return path.getFileName().toString().endsWith(".safetensors") && Files.isRegularFile(path);
    }
}
